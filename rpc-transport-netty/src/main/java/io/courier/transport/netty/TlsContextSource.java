package io.courier.transport.netty;

import io.courier.transport.TlsConfig;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS context of one client or server, rebuilt when its PEM files change: {@link #current()} is what a
 * transport calls for every connection it opens or accepts; at most once per {@link TlsConfig#reloadInterval()} that
 * call also reads the files and, if their content changed, builds a new context for the connections that follow.
 * Open connections keep the context they started with. A change that cannot be built into a context (a file half
 * written, a key that does not match its certificate) keeps the previous one, is logged, and is tried again at the
 * next check; so is a certificate whose private key does not match it (a rotation caught between writing the new
 * chain and the new key). No thread of its own: checks ride on connection set-up.
 *
 * <pre>{@code
 * TlsContextSource tls = TlsContextSource.forServer(config, List.of(), "h2");
 * channel.pipeline().addLast("tls", tls.current().newHandler(channel.alloc()));
 * }</pre>
 *
 * <p>Thread-safe: the context is a volatile reference; one caller at a time does a check (the others use the context
 * they find).
 */
public final class TlsContextSource {

  private static final Logger log = LoggerFactory.getLogger(TlsContextSource.class);

  /** Builds a context from one reading of the files. */
  private interface Builder {
    SslContext build(TlsConfig config, NettyTls.Pem pem);
  }

  private final TlsConfig config;
  private final Builder build;
  private final long intervalNanos;
  private final AtomicLong nextCheckNanos;
  private volatile SslContext current;
  private volatile byte[] fingerprint;

  private TlsContextSource(TlsConfig config, Builder build) {
    this.config = config;
    this.build = build;
    this.intervalNanos = config.reloadInterval().toNanos();
    NettyTls.Pem pem = NettyTls.Pem.read(config);
    checkKeyMatchesCertificate(config, pem); // a bad configuration fails the start
    this.current = build.build(config, pem);
    this.fingerprint = fingerprint(pem);
    this.nextCheckNanos = new AtomicLong(System.nanoTime() + intervalNanos);
  }

  /**
   * A server's contexts; the ALPN protocols are selected in the order given; {@code defaultCiphers} apply when the
   * configuration restricts none (HTTP/2 needs its own list).
   *
   * @throws UncheckedIOException naming the file if a certificate or key cannot be read
   */
  public static TlsContextSource forServer(TlsConfig config, List<String> defaultCiphers, String... alpn) {
    return new TlsContextSource(config, (c, pem) -> NettyTls.forServer(c, pem, defaultCiphers, alpn));
  }

  /** A client's contexts; the ALPN protocols are offered in the order given. */
  public static TlsContextSource forClient(TlsConfig config, List<String> defaultCiphers, String... alpn) {
    return new TlsContextSource(config, (c, pem) -> NettyTls.forClient(c, pem, defaultCiphers, alpn));
  }

  /** The context for a new connection, after reloading the files if they changed and a check is due. */
  public SslContext current() {
    long next = nextCheckNanos.get();
    if (intervalNanos > 0 && System.nanoTime() - next >= 0
        && nextCheckNanos.compareAndSet(next, System.nanoTime() + intervalNanos)) {
      reloadIfChanged();
    }
    return current;
  }

  /** Whether the server also serves cleartext clients ({@link TlsConfig#allowPlaintext()}). */
  public boolean allowsPlaintext() {
    return config.isPlaintextAllowed();
  }

  public TlsConfig config() {
    return config;
  }

  /**
   * Reads the files once and, if their content changed and they make a whole (the key is the certificate's), builds
   * the context from that reading; returns whether it did.
   */
  boolean reloadIfChanged() {
    NettyTls.Pem pem;
    try {
      pem = NettyTls.Pem.read(config);
    } catch (UncheckedIOException e) {
      log.warn("TLS files of {} cannot be read ({}); keeping the current certificate", config, e.getMessage());
      return false;
    }
    byte[] now = fingerprint(pem);
    if (Arrays.equals(now, fingerprint)) {
      return false;
    }
    try {
      checkKeyMatchesCertificate(config, pem);
      current = build.build(config, pem);
      fingerprint = now;
      log.info("TLS files of {} changed: new connections use the new certificate and trust", config);
      return true;
    } catch (RuntimeException e) {
      log.warn("TLS files of {} changed but cannot be used ({}); keeping the current certificate until they can",
          config, e.getMessage());
      return false;
    }
  }

  /**
   * Signs a challenge with the private key and verifies it with the certificate's public key: Netty builds a context
   * from a mismatched pair without complaint, and every handshake then fails.
   *
   * @throws IllegalArgumentException if the key does not belong to the certificate
   */
  static void checkKeyMatchesCertificate(TlsConfig config, NettyTls.Pem pem) {
    if (pem.chain() == null || pem.key() == null) {
      return;
    }
    try {
      X509Certificate certificate = PemFiles.certificates(pem.chain())[0];
      PrivateKey key = PemFiles.privateKey(pem.key(), config.privateKeyPassword());
      String family = family(certificate.getPublicKey().getAlgorithm());
      if (!family.equals(family(key.getAlgorithm()))) {
        throw new IllegalArgumentException(config.privateKey() + " (" + key.getAlgorithm() + ") is not the key of "
            + config.certificateChain() + " (" + certificate.getPublicKey().getAlgorithm() + ")");
      }
      String algorithm = switch (family) {
        case "RSA" -> "SHA256withRSA";
        case "EC" -> "SHA256withECDSA";
        case "Ed25519", "Ed448" -> family;
        default -> null; // another kind of key: only its kind is checked
      };
      if (algorithm == null) {
        return;
      }
      // the JDK's own key, whatever provider parsed the PEM (BouncyCastle's keys do not work with SunEC)
      PrivateKey jdkKey = KeyFactory.getInstance(family).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(jdkKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException(config.privateKey() + " is not the key of " + config.certificateChain());
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      if (e instanceof IllegalArgumentException illegal) {
        throw illegal;
      }
      throw new IllegalArgumentException("cannot check that " + config.privateKey() + " belongs to "
          + config.certificateChain() + ": " + e.getMessage(), e);
    }
  }

  /** The kind of a key, whatever the provider calls it ("EC" or "ECDSA", "EdDSA" or "Ed25519"). */
  private static String family(String algorithm) {
    return switch (algorithm) {
      case "ECDSA", "EC" -> "EC";
      case "EdDSA", "Ed25519" -> "Ed25519";
      default -> algorithm;
    };
  }

  /** Netty's PEM readers, which are protected in {@link SslContext}. */
  private abstract static class PemFiles extends SslContext {
    static X509Certificate[] certificates(byte[] pem) throws GeneralSecurityException {
      return toX509Certificates(new ByteArrayInputStream(pem));
    }

    static PrivateKey privateKey(byte[] pem, String password) throws GeneralSecurityException {
      try {
        return toPrivateKey(new ByteArrayInputStream(pem), password);
      } catch (IOException | InvalidKeySpecException e) {
        throw new KeyException(e.getMessage(), e);
      }
    }
  }

  /** A digest of one reading of the files. */
  private static byte[] fingerprint(NettyTls.Pem pem) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] file : new byte[][] {pem.chain(), pem.key(), pem.trust()}) {
        if (file != null) {
          digest.update(file);
        }
        digest.update((byte) 0);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
