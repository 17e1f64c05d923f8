package io.courier.spring.internal;

import io.courier.spring.CourierProperties;
import io.courier.transport.TlsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Turns {@code courier.server.tls.*} or {@code courier.client.tls.*} into a {@link TlsConfig}, naming bad properties.
 */
final class TlsSettings {

  private TlsSettings() {}

  /**
   * With TLS off ({@code enabled=false}, the default) nothing reads the other TLS settings, so a side whose settings
   * name a certificate would still speak cleartext: that is refused at start-up, naming what is set.
   */
  static void requireNoneWhileOff(CourierProperties.Tls tls, String prefix) {
    List<String> set = new ArrayList<>();
    if (tls.getCertificateChain() != null) {
      set.add("certificate-chain");
    }
    if (tls.getPrivateKey() != null) {
      set.add("private-key");
    }
    if (tls.getPrivateKeyPassword() != null) {
      set.add("private-key-password");
    }
    if (tls.getTrustCertificates() != null) {
      set.add("trust-certificates");
    }
    if (tls.getClientAuth() != TlsConfig.ClientAuth.NONE) {
      set.add("client-auth");
    }
    if (!tls.getProtocols().isEmpty()) {
      set.add("protocols");
    }
    if (!tls.getCiphers().isEmpty()) {
      set.add("ciphers");
    }
    if (tls.getProvider() != TlsConfig.Provider.AUTO) {
      set.add("provider");
    }
    if (tls.isAllowPlaintext()) {
      set.add("allow-plaintext");
    }
    if (!Duration.ofSeconds(TlsConfig.DEFAULT_RELOAD_SECONDS).equals(tls.getReloadInterval())) {
      set.add("reload-interval");
    }
    if (!set.isEmpty()) {
      throw new CourierConfigurationException(prefix + "enabled", false, "TLS is off, so nothing reads "
          + set.stream().map(name -> prefix + name).collect(Collectors.joining(", "))
          + ", and this side would speak cleartext", "Set " + prefix + "enabled=true to use TLS, or remove those"
          + " settings.", null);
    }
  }

  static TlsConfig server(CourierProperties.Tls tls) {
    String prefix = "courier.server.tls.";
    require(tls.getCertificateChain() != null, prefix + "certificate-chain", "a server needs its certificate chain");
    require(tls.getPrivateKey() != null, prefix + "private-key", "a server needs the private key of its certificate");
    TlsConfig config = path(prefix + "certificate-chain", () -> TlsConfig.forServer(tls.getCertificateChain(),
        tls.getPrivateKey()), tls.getCertificateChain() + " / " + tls.getPrivateKey());
    if (tls.getTrustCertificates() != null) {
      TlsConfig base = config;
      config = path(prefix + "trust-certificates", () -> base.trust(tls.getTrustCertificates()),
          tls.getTrustCertificates());
    }
    config = common(config.clientAuth(tls.getClientAuth()), tls, prefix);
    return tls.isAllowPlaintext() ? config.allowPlaintext() : config;
  }

  static TlsConfig client(CourierProperties.Tls tls) {
    String prefix = "courier.client.tls.";
    if (tls.getClientAuth() != TlsConfig.ClientAuth.NONE) {
      throw new CourierConfigurationException(prefix + "client-auth", tls.getClientAuth(),
          "is a server setting", "Set client-auth under courier.server.tls; a client presents certificate-chain and"
          + " private-key instead.", null);
    }
    if (tls.isAllowPlaintext()) {
      throw new CourierConfigurationException(prefix + "allow-plaintext", true, "is a server setting",
          "Remove it: a client with TLS always speaks TLS.", null);
    }
    TlsConfig config = TlsConfig.forClient();
    if (tls.getTrustCertificates() != null) {
      TlsConfig base = config;
      config = path(prefix + "trust-certificates", () -> base.trust(tls.getTrustCertificates()),
          tls.getTrustCertificates());
    }
    if (tls.getCertificateChain() != null || tls.getPrivateKey() != null) {
      require(tls.getCertificateChain() != null && tls.getPrivateKey() != null, prefix + "certificate-chain",
          "mutual TLS needs both certificate-chain and private-key");
      TlsConfig base = config;
      config = path(prefix + "certificate-chain", () -> base.identity(tls.getCertificateChain(), tls.getPrivateKey()),
          tls.getCertificateChain() + " / " + tls.getPrivateKey());
    }
    return common(config, tls, prefix);
  }

  private static TlsConfig common(TlsConfig config, CourierProperties.Tls tls, String prefix) {
    if (tls.getPrivateKeyPassword() != null) {
      config = config.privateKeyPassword(tls.getPrivateKeyPassword());
    }
    if (!tls.getProtocols().isEmpty()) {
      config = config.protocols(tls.getProtocols().toArray(new String[0]));
    }
    if (!tls.getCiphers().isEmpty()) {
      config = config.ciphers(tls.getCiphers().toArray(new String[0]));
    }
    if (tls.getReloadInterval() == null || tls.getReloadInterval().isNegative()) {
      throw new CourierConfigurationException(prefix + "reload-interval", tls.getReloadInterval(),
          "must be zero or positive", "Set a duration such as 60s, or 0 to read the files once.", null);
    }
    return config.provider(tls.getProvider()).reloadInterval(tls.getReloadInterval());
  }

  private static void require(boolean ok, String property, String problem) {
    if (!ok) {
      throw new CourierConfigurationException(property, null, problem + " (courier TLS is enabled)",
          "Set " + property + " to a readable PEM file, or set the enabled flag of this TLS block to false.", null);
    }
  }

  private static TlsConfig path(String property, Supplier<TlsConfig> make, Object value) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw new CourierConfigurationException(property, value, e.getMessage(),
          "Point it at a readable PEM file (certificates: X.509 PEM; keys: PKCS#8 PEM).", e);
    }
  }
}
