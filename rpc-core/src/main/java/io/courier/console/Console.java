package io.courier.console;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A server's console, as the HTTP side sees it: one request in, one response out. Made by {@code RpcServer} when
 * {@link ConsoleOptions} are set ({@code RpcServer.console()}); called by the REST transport for requests under
 * {@link #PATH} and by the Spring Boot starter under the actuator's base path — always at a path that ends in
 * {@code /courier/console}, which the base's redirect ({@code console/}) relies on. Checks the caller's address,
 * admission (the server's interceptors, on the pseudo service {@value #SERVICE}) and authentication itself, so every
 * HTTP side applies the same rules. Thread-safe; {@link #handle} never blocks and never throws.
 */
public interface Console {

  /** Where the REST transport serves the console. */
  String PATH = "/courier/console";

  /**
   * The pseudo service admission sees, with the methods {@code read}, {@code call}, {@code offline}, {@code online}
   * and {@code drain}.
   */
  String SERVICE = "courier.Console";

  /**
   * Headers a proxy adds to a request it relays, lower-case. A request that carries any of them is never taken for a
   * loopback caller's, whatever its address: a proxy on the same host connects from loopback for callers anywhere. An
   * HTTP side passes a request's remote address unresolved (so never loopback) when it has one of them but could not
   * hand it on as metadata.
   */
  List<String> RELAYED_HEADERS = List.of("forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
      "x-forwarded-port", "x-forwarded-by", "x-forwarded-server", "x-real-ip", "via");

  /** The largest request body the console takes (a try-it call's arguments); larger ones are refused unread. */
  int MAX_BODY_BYTES = 64 * 1024;

  /**
   * The longest a try-it call may be given ({@code timeoutMs}); {@link #handle}'s future completes within it (and the
   * client's callback delay), so an HTTP side may give up on an answer a little after it.
   */
  Duration MAX_CALL_TIMEOUT = Duration.ofMinutes(1);

  /**
   * The refusal of a request on its head alone — the address rule, then the admission (and, for try-it and the
   * operator actions, the authenticated caller) its path needs — or {@code null} if it may go on. An HTTP side calls
   * it before it reads a byte of the body, so a caller the server refuses cannot make it buffer one; {@link #handle}
   * checks the same again. {@code head}'s body is ignored. Never throws. The default refuses nothing early.
   */
  default ConsoleResponse refusal(ConsoleRequest head) {
    return null;
  }

  /** Answers one request; the future never fails. */
  CompletableFuture<ConsoleResponse> handle(ConsoleRequest request);
}
