package io.courier.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * TLS settings for any Courier transport: this side's certificate, the certificates it trusts, whether the
 * peer must present one (mutual TLS), and optional protocol and cipher restrictions. Files are PEM. Immutable;
 * set it with {@code RpcServer.Builder.tls} or {@code RpcClient.Builder.tls}.
 *
 * <pre>{@code
 * // server with mutual TLS
 * TlsConfig serverTls = TlsConfig.forServer(Path.of("server.crt"), Path.of("server.key"))
 *     .trust(Path.of("clients-ca.crt"))
 *     .clientAuth(TlsConfig.ClientAuth.REQUIRE);
 * // client presenting its own certificate
 * TlsConfig clientTls = TlsConfig.forClient().trust(Path.of("ca.crt"))
 *     .identity(Path.of("client.crt"), Path.of("client.key"));
 * }</pre>
 *
 * <p>A server with TLS applies it on every listener ({@code tcp}, {@code http2} with ALPN {@code h2}, {@code rest} with
 * ALPN {@code h2} and {@code http/1.1}) and refuses cleartext of every protocol on those ports, unless
 * {@link #allowPlaintext()} says otherwise. A client with TLS never sends a byte in cleartext: its first bytes are
 * the TLS ClientHello, whatever its transport.
 *
 * <p>The PEM files are read again when they change: a side checks them at most once per {@link #reloadInterval}
 * (default {@value #DEFAULT_RELOAD_SECONDS} seconds) when it opens or accepts a connection, and new connections use
 * the new certificate and trust; open connections keep theirs. A change that cannot be read (a file half written)
 * keeps the previous certificate and is logged; the next check tries again.
 */
public final class TlsConfig {

  /** The option transports read; {@code null} (the default) means plaintext. */
  public static final TransportOption<TlsConfig> OPTION = TransportOption.of("tls", TlsConfig.class, null,
      v -> true, "a TlsConfig");

  /** Whether a server asks for, or insists on, a client certificate. */
  public enum ClientAuth { NONE, OPTIONAL, REQUIRE }

  /** How often, at most, the PEM files are checked for changes unless {@link #reloadInterval} says otherwise. */
  public static final long DEFAULT_RELOAD_SECONDS = 60;

  /** Which TLS implementation to use. */
  public enum Provider {
    /** OpenSSL (netty-tcnative) when it is on the class path, else the JDK's. */
    AUTO,
    /** The JDK's own TLS. */
    JDK,
    /** OpenSSL through netty-tcnative; fails at start if it is not on the class path. */
    OPENSSL
  }

  private final boolean server;
  private final Path certificateChain;
  private final Path privateKey;
  private final String privateKeyPassword;
  private final Path trustedCertificates;
  private final ClientAuth clientAuth;
  private final List<String> protocols;
  private final List<String> ciphers;
  private final Provider provider;
  private final boolean plaintextAllowed;
  private final Duration reloadInterval;

  private TlsConfig(boolean server, Path certificateChain, Path privateKey, String privateKeyPassword,
      Path trustedCertificates, ClientAuth clientAuth, List<String> protocols, List<String> ciphers,
      Provider provider, boolean plaintextAllowed, Duration reloadInterval) {
    this.server = server;
    this.certificateChain = certificateChain;
    this.privateKey = privateKey;
    this.privateKeyPassword = privateKeyPassword;
    this.trustedCertificates = trustedCertificates;
    this.clientAuth = clientAuth;
    this.protocols = protocols;
    this.ciphers = ciphers;
    this.provider = provider;
    this.plaintextAllowed = plaintextAllowed;
    this.reloadInterval = reloadInterval;
  }

  /** Server TLS with this certificate chain and private key (PKCS#8 PEM). */
  public static TlsConfig forServer(Path certificateChain, Path privateKey) {
    return new TlsConfig(true, readable("certificateChain", certificateChain), readable("privateKey", privateKey),
        null, null, ClientAuth.NONE, List.of(), List.of(), Provider.AUTO, false,
        Duration.ofSeconds(DEFAULT_RELOAD_SECONDS));
  }

  /** Client TLS trusting the JDK's default certificate authorities until {@link #trust} says otherwise. */
  public static TlsConfig forClient() {
    return new TlsConfig(false, null, null, null, null, ClientAuth.NONE, List.of(), List.of(), Provider.AUTO, false,
        Duration.ofSeconds(DEFAULT_RELOAD_SECONDS));
  }

  /** Trusts exactly the certificates (or authorities) in this PEM file. */
  public TlsConfig trust(Path certificates) {
    return new TlsConfig(server, certificateChain, privateKey, privateKeyPassword,
        readable("trustedCertificates", certificates), clientAuth, protocols, ciphers, provider, plaintextAllowed,
        reloadInterval);
  }

  /** This side's certificate, for a client under mutual TLS. */
  public TlsConfig identity(Path chain, Path key) {
    return new TlsConfig(server, readable("certificateChain", chain), readable("privateKey", key),
        privateKeyPassword, trustedCertificates, clientAuth, protocols, ciphers, provider, plaintextAllowed,
        reloadInterval);
  }

  /** The password of an encrypted private key. */
  public TlsConfig privateKeyPassword(String password) {
    return new TlsConfig(server, certificateChain, privateKey, password, trustedCertificates, clientAuth,
        protocols, ciphers, provider, plaintextAllowed,
        reloadInterval);
  }

  /** Server only: whether clients must present a certificate signed by a trusted authority. */
  public TlsConfig clientAuth(ClientAuth auth) {
    if (!server && auth != ClientAuth.NONE) {
      throw new IllegalStateException("clientAuth: " + auth + " (expected: set on a server TlsConfig)");
    }
    return new TlsConfig(server, certificateChain, privateKey, privateKeyPassword, trustedCertificates,
        Objects.requireNonNull(auth, "auth"), protocols, ciphers, provider, plaintextAllowed,
        reloadInterval);
  }

  /** Restricts the protocol versions, for example {@code "TLSv1.3"}; empty means the provider's defaults. */
  public TlsConfig protocols(String... versions) {
    return new TlsConfig(server, certificateChain, privateKey, privateKeyPassword, trustedCertificates,
        clientAuth, List.of(versions), ciphers, provider, plaintextAllowed,
        reloadInterval);
  }

  /** Restricts the cipher suites; empty means the provider's defaults. */
  public TlsConfig ciphers(String... suites) {
    return new TlsConfig(server, certificateChain, privateKey, privateKeyPassword, trustedCertificates,
        clientAuth, protocols, List.of(suites), provider, plaintextAllowed,
        reloadInterval);
  }

  public TlsConfig provider(Provider tlsProvider) {
    return new TlsConfig(server, certificateChain, privateKey, privateKeyPassword, trustedCertificates,
        clientAuth, protocols, ciphers, Objects.requireNonNull(tlsProvider, "tlsProvider"), plaintextAllowed,
        reloadInterval);
  }

  /**
   * Server only: serves cleartext clients too, next to TLS, on every listener — a migration aid while clients move to
   * TLS, logged at start. Without it (the default), a TLS port refuses cleartext of every protocol.
   */
  public TlsConfig allowPlaintext() {
    if (!server) {
      throw new IllegalStateException("allowPlaintext (expected: set on a server TlsConfig)");
    }
    return new TlsConfig(server, certificateChain, privateKey, privateKeyPassword, trustedCertificates, clientAuth,
        protocols, ciphers, provider, true, reloadInterval);
  }

  /**
   * How often, at most, the PEM files are checked for changes (when a connection is opened or accepted); default
   * {@value #DEFAULT_RELOAD_SECONDS} seconds; {@link Duration#ZERO} reads them once, at start.
   */
  public TlsConfig reloadInterval(Duration interval) {
    if (interval == null || interval.isNegative()) {
      throw new IllegalArgumentException("reloadInterval: " + interval + " (expected: >= 0)");
    }
    return new TlsConfig(server, certificateChain, privateKey, privateKeyPassword, trustedCertificates, clientAuth,
        protocols, ciphers, provider, plaintextAllowed, interval);
  }

  /** Whether a server also serves cleartext clients ({@link #allowPlaintext()}). */
  public boolean isPlaintextAllowed() {
    return plaintextAllowed;
  }

  public Duration reloadInterval() {
    return reloadInterval;
  }

  public boolean isServer() {
    return server;
  }

  /** This side's certificate chain, or {@code null} (a client without one). */
  public Path certificateChain() {
    return certificateChain;
  }

  public Path privateKey() {
    return privateKey;
  }

  public String privateKeyPassword() {
    return privateKeyPassword;
  }

  /** The trusted certificates, or {@code null} for the JDK's defaults. */
  public Path trustedCertificates() {
    return trustedCertificates;
  }

  public ClientAuth clientAuth() {
    return clientAuth;
  }

  public List<String> protocols() {
    return protocols;
  }

  public List<String> ciphers() {
    return ciphers;
  }

  public Provider provider() {
    return provider;
  }

  private static Path readable(String what, Path path) {
    Objects.requireNonNull(path, what);
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException(what + ": " + path + " (expected: a readable PEM file)");
    }
    return path;
  }

  @Override
  public String toString() {
    return "TlsConfig{" + (server ? "server" : "client") + ", cert=" + certificateChain + ", trust="
        + trustedCertificates + ", clientAuth=" + clientAuth + ", provider=" + provider
        + (plaintextAllowed ? ", plaintext allowed" : "") + "}";
  }
}
