package io.courier.console;

import java.util.concurrent.CompletableFuture;

/**
 * A server's console, as the HTTP side sees it: one request in, one response out. Made by {@code RpcServer} when
 * {@link ConsoleOptions} are set ({@code RpcServer.console()}); called by the REST transport for requests under
 * {@link #PATH} and by the Spring Boot starter under the actuator's base path. Checks the caller's address,
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

  /** The largest request body the console takes (a try-it call's arguments); larger ones are refused unread. */
  int MAX_BODY_BYTES = 64 * 1024;

  /** Answers one request; the future never fails. */
  CompletableFuture<ConsoleResponse> handle(ConsoleRequest request);
}
