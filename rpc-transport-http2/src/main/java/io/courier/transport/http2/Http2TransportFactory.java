package io.courier.transport.http2;

import io.courier.transport.ClientTransport;
import io.courier.transport.ServerTransport;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportFactory;

/**
 * gRPC over HTTP/2 (transport name {@code "http2"}), on Netty: cleartext with prior knowledge or TLS with ALPN
 * {@code h2}; unary and streaming calls; stock gRPC clients and servers in any language interoperate. Settings
 * are in {@link Http2Options}; the protocol mapping is in {@code docs/http2.md}.
 *
 * <pre>{@code
 * RpcServer server = RpcServer.builder().listen("http2", 50051).service(Greeter.class, impl).build().start();
 * RpcClient client = RpcClient.builder().transport("http2").address("127.0.0.1:50051").build();
 * }</pre>
 */
public final class Http2TransportFactory implements TransportFactory {

  @Override
  public String name() {
    return "http2";
  }

  @Override
  public ClientTransport newClientTransport(TransportContext context) {
    return new Http2ClientTransport(context);
  }

  @Override
  public ServerTransport newServerTransport(TransportContext context) {
    return new Http2ServerTransport(context);
  }
}
