package io.courier.transport.netty;

import io.courier.transport.TlsConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds Netty {@link SslContext}s from a transport-neutral {@link TlsConfig}; shared by Courier's Netty
 * transports. Optional ALPN protocols (for example {@code "h2"}) are offered by clients and selected by
 * servers. The PEM files are read once per context, through {@link Pem}, so that a context is always built from
 * one consistent reading of them.
 */
public final class NettyTls {

  private NettyTls() {}

  /** The PEM files of a {@link TlsConfig}, read at one moment; {@code null} for those it does not name. */
  public record Pem(byte[] chain, byte[] key, byte[] trust) {

    /**
     * Reads the files {@code config} names.
     *
     * @throws UncheckedIOException naming the file that cannot be read
     */
    public static Pem read(TlsConfig config) {
      return new Pem(bytes(config.certificateChain()), bytes(config.privateKey()),
          bytes(config.trustedCertificates()));
    }

    private static byte[] bytes(Path file) {
      if (file == null) {
        return null;
      }
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
  }

  /**
   * A server context.
   *
   * @throws UncheckedIOException naming the file if a certificate or key cannot be read
   */
  public static SslContext forServer(TlsConfig config, String... alpnProtocols) {
    return forServer(config, Pem.read(config), List.of(), alpnProtocols);
  }

  /**
   * A server context from files already read, whose cipher suites are {@code defaultCiphers} (those the provider
   * supports) unless the configuration restricts them; an empty list means the provider's defaults.
   */
  public static SslContext forServer(TlsConfig config, Pem pem, List<String> defaultCiphers, String... alpnProtocols) {
    if (!config.isServer()) {
      throw new IllegalArgumentException("TlsConfig.forServer(...) expected, got " + config);
    }
    try {
      SslContextBuilder builder = SslContextBuilder.forServer(stream(pem.chain()), stream(pem.key()),
          config.privateKeyPassword());
      if (pem.trust() != null) {
        builder.trustManager(stream(pem.trust()));
      }
      builder.clientAuth(switch (config.clientAuth()) {
        case NONE -> ClientAuth.NONE;
        case OPTIONAL -> ClientAuth.OPTIONAL;
        case REQUIRE -> ClientAuth.REQUIRE;
      });
      return common(builder, config, defaultCiphers, alpnProtocols).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new UncheckedIOException(new IOException("cannot set up server TLS from " + config + ": "
          + e.getMessage(), e));
    }
  }

  /** A client context. */
  public static SslContext forClient(TlsConfig config, String... alpnProtocols) {
    return forClient(config, Pem.read(config), List.of(), alpnProtocols);
  }

  /** A client context from files already read; {@code defaultCiphers} as for {@link #forServer}. */
  public static SslContext forClient(TlsConfig config, Pem pem, List<String> defaultCiphers, String... alpnProtocols) {
    if (config.isServer()) {
      throw new IllegalArgumentException("TlsConfig.forClient() expected, got " + config);
    }
    try {
      SslContextBuilder builder = SslContextBuilder.forClient();
      if (pem.trust() != null) {
        builder.trustManager(stream(pem.trust()));
      }
      if (pem.chain() != null) {
        builder.keyManager(stream(pem.chain()), stream(pem.key()), config.privateKeyPassword());
      }
      return common(builder, config, defaultCiphers, alpnProtocols).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new UncheckedIOException(new IOException("cannot set up client TLS from " + config + ": "
          + e.getMessage(), e));
    }
  }

  private static ByteArrayInputStream stream(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }

  private static SslContextBuilder common(SslContextBuilder builder, TlsConfig config, List<String> defaultCiphers,
      String[] alpn) {
    builder.sslProvider(provider(config.provider()));
    if (!config.protocols().isEmpty()) {
      builder.protocols(config.protocols());
    }
    if (!config.ciphers().isEmpty()) {
      builder.ciphers(config.ciphers());
    } else if (!defaultCiphers.isEmpty()) {
      builder.ciphers(defaultCiphers, SupportedCipherSuiteFilter.INSTANCE);
    }
    if (alpn.length > 0) {
      builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
          ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, List.of(alpn)));
    }
    return builder;
  }

  private static SslProvider provider(TlsConfig.Provider provider) {
    return switch (provider) {
      case JDK -> SslProvider.JDK;
      case OPENSSL -> {
        if (!OpenSsl.isAvailable()) {
          throw new IllegalArgumentException("TLS provider OPENSSL requested but netty-tcnative is not usable ("
              + OpenSsl.unavailabilityCause() + "); add io.netty:netty-tcnative-boringssl-static or use JDK");
        }
        yield SslProvider.OPENSSL;
      }
      case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    };
  }
}
