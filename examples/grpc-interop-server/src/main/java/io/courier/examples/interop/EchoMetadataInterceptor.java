package io.courier.examples.interop;

import io.courier.common.Metadata;
import io.courier.server.ServerContext;
import io.courier.server.ServerInterceptor;
import io.courier.server.ServerInvocation;
import java.util.concurrent.CompletableFuture;

/**
 * Echoes the interop test's metadata, as the {@code custom_metadata} case asks: {@code x-grpc-test-echo-initial}
 * comes back in the response headers, {@code x-grpc-test-echo-trailing-bin} in the trailers. An ordinary Courier
 * server interceptor; it runs at the start of unary and streaming calls alike.
 */
public final class EchoMetadataInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> ECHO_INITIAL = Metadata.Key.of("x-grpc-test-echo-initial");
  static final Metadata.Key<byte[]> ECHO_TRAILING = Metadata.Key.binary("x-grpc-test-echo-trailing-bin");

  @Override
  public CompletableFuture<Object> intercept(ServerInvocation invocation, Chain next) {
    ServerContext context = ServerContext.current();
    String initial = invocation.headers().get(ECHO_INITIAL);
    if (initial != null) {
      context.addResponseHeader(ECHO_INITIAL, initial);
    }
    byte[] trailing = invocation.headers().get(ECHO_TRAILING);
    if (trailing != null) {
      context.addTrailer(ECHO_TRAILING, trailing);
    }
    return next.proceed(invocation);
  }
}
