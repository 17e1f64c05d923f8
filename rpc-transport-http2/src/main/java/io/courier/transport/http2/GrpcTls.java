package io.courier.transport.http2;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.File;
import javax.net.ssl.SSLException;

/**
 * TLS contexts for the {@code http2} transport: the JDK's TLS with ALPN offering {@code h2}, as gRPC requires.
 * Pass the result as {@link Http2Options#SSL_CONTEXT}.
 *
 * <pre>{@code
 * RpcServer.builder().listen("http2", 8443).option(Http2Options.SSL_CONTEXT, GrpcTls.server(chain, key));
 * RpcClient.builder().transport("http2").option(Http2Options.SSL_CONTEXT, GrpcTls.client(caCertificates));
 * }</pre>
 */
public final class GrpcTls {

  private static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
      ApplicationProtocolConfig.Protocol.ALPN,
      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
      ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

  private GrpcTls() {}

  /**
   * A server context from a PEM certificate chain and its PEM (PKCS#8) private key.
   *
   * @throws IllegalArgumentException naming the files if they cannot be read
   */
  public static SslContext server(File certificateChain, File privateKey) {
    try {
      return SslContextBuilder.forServer(certificateChain, privateKey).sslProvider(SslProvider.JDK)
          .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .applicationProtocolConfig(ALPN).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot build a TLS server context from " + certificateChain + " and "
          + privateKey + " (expected: a PEM certificate chain and a PEM PKCS#8 private key): " + e.getMessage(), e);
    }
  }

  /**
   * A client context that trusts the PEM certificates in {@code trustedCertificates}, or the JDK's default
   * trust store when it is {@code null}.
   */
  public static SslContext client(File trustedCertificates) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
          .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .applicationProtocolConfig(ALPN);
      if (trustedCertificates != null) {
        builder.trustManager(trustedCertificates);
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot build a TLS client context trusting " + trustedCertificates
          + " (expected: PEM certificates): " + e.getMessage(), e);
    }
  }
}
