package io.courier.auth;

import io.courier.client.ClientInterceptor;
import io.courier.common.Metadata;
import io.courier.common.Status;
import io.courier.server.CallHead;
import io.courier.server.ServerContext;
import io.courier.server.ServerInterceptor;
import io.courier.server.ServerInvocation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Token authentication: the client sends {@code authorization: Bearer <token>} with every call, the server
 * checks it on the call's headers, before any of its argument bytes is read or buffered
 * ({@link ServerInterceptor#admit}), and fails the call with {@code UNAUTHENTICATED} if it is missing, sent more than
 * once, or not accepted. The accepted caller is available to service code and to {@link AccessPolicy} as a
 * {@link Principal}.
 *
 * <pre>{@code
 * RpcServer.builder().interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of(secret, "billing"))))
 * RpcClient.builder().interceptor(BearerAuth.client(() -> secret))
 * ...
 * String caller = BearerAuth.caller().getName();   // inside a service method
 * }</pre>
 */
public final class BearerAuth {

  /** The header carrying the token, as in HTTP and gRPC. */
  public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization");
  /** Where the accepted caller is attached to the call. */
  public static final ServerContext.Key<Principal> CALLER = ServerContext.Key.of("courier.caller", Principal.class);

  private static final String PREFIX = "Bearer ";

  private BearerAuth() {}

  /** Adds the token from {@code tokens} to every call; the supplier is asked per call, so tokens can rotate. */
  public static ClientInterceptor client(Supplier<String> tokens) {
    Objects.requireNonNull(tokens, "tokens");
    return (invocation, next) -> next.proceed(invocation.withOptions(
        invocation.options().withHeader(AUTHORIZATION, PREFIX + tokens.get())));
  }

  /**
   * Checks every call's token with {@code verifier}, which returns the caller or {@code null} to refuse. The check
   * runs on the connection's I/O thread, before the call's arguments are read: the verifier must be quick and must not
   * block (cache what a remote check says). Add it first, so that nothing runs for an unauthenticated caller.
   */
  public static ServerInterceptor server(Function<String, Principal> verifier) {
    return new Verifier(Objects.requireNonNull(verifier, "verifier"));
  }

  /** The server side: admission on the {@code authorization} header; the call itself then just proceeds. */
  private record Verifier(Function<String, Principal> verifier) implements ServerInterceptor {
    private static final Status MISSING = Status.UNAUTHENTICATED.withDescription(
        "a bearer token is required (send 'authorization: Bearer <token>')");
    private static final Status DUPLICATED = Status.UNAUTHENTICATED.withDescription(
        "more than one authorization header (send exactly one)");
    private static final Status REJECTED = Status.UNAUTHENTICATED.withDescription("the bearer token was not accepted");

    @Override
    public Status admit(CallHead call) {
      List<String> headers = call.headers().getAll(AUTHORIZATION);
      if (headers.size() > 1) {
        return DUPLICATED;
      }
      String header = headers.isEmpty() ? null : headers.get(0);
      if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
        return MISSING;
      }
      Principal caller = verifier.apply(header.substring(PREFIX.length()).trim());
      if (caller == null) {
        return REJECTED;
      }
      call.attach(CALLER, caller);
      return null;
    }

    @Override
    public CompletableFuture<Object> intercept(ServerInvocation invocation, Chain next) {
      return next.proceed(invocation);
    }

    @Override
    public String toString() {
      return "BearerAuth.server";
    }
  }

  /**
   * A verifier for a fixed set of tokens, each naming its caller. Tokens are compared in constant time.
   */
  public static Function<String, Principal> staticTokens(Map<String, String> callerByToken) {
    Map<String, String> copy = Map.copyOf(callerByToken);
    return presented -> {
      byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
      String match = null;
      for (Map.Entry<String, String> e : copy.entrySet()) {
        if (MessageDigest.isEqual(candidate, e.getKey().getBytes(StandardCharsets.UTF_8))) {
          match = e.getValue();
        }
      }
      String name = match;
      return name == null ? null : () -> name;
    };
  }

  /** The caller of the call running on this thread, or {@code null} if it was not authenticated. */
  public static Principal caller() {
    ServerContext context = ServerContext.currentOrNull();
    return context == null ? null : context.get(CALLER);
  }
}
