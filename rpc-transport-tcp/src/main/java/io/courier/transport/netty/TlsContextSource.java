package io.courier.transport.netty;

import io.courier.transport.TlsConfig;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS context of one client or server, rebuilt when its PEM files change: {@link #current()} is what a
 * transport calls for every connection it opens or accepts; at most once per {@link TlsConfig#reloadInterval()} that
 * call also reads the files and, if their content changed, builds a new context for the connections that follow.
 * Open connections keep the context they started with. A change that cannot be built into a context (a file half
 * written, a key that does not match its certificate) keeps the previous one, is logged, and is tried again at the
 * next check. No thread of its own: checks ride on connection set-up.
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

  private final TlsConfig config;
  private final Function<TlsConfig, SslContext> build;
  private final long intervalNanos;
  private final AtomicLong nextCheckNanos;
  private volatile SslContext current;
  private volatile byte[] fingerprint;

  private TlsContextSource(TlsConfig config, Function<TlsConfig, SslContext> build) {
    this.config = config;
    this.build = build;
    this.intervalNanos = config.reloadInterval().toNanos();
    this.fingerprint = fingerprint(config);
    this.current = build.apply(config); // a bad configuration fails the start
    this.nextCheckNanos = new AtomicLong(System.nanoTime() + intervalNanos);
  }

  /**
   * A server's contexts; the ALPN protocols are selected in the order given; {@code defaultCiphers} apply when the
   * configuration restricts none (HTTP/2 needs its own list).
   *
   * @throws UncheckedIOException naming the file if a certificate or key cannot be read
   */
  public static TlsContextSource forServer(TlsConfig config, List<String> defaultCiphers, String... alpn) {
    return new TlsContextSource(config, c -> NettyTls.forServer(c, defaultCiphers, alpn));
  }

  /** A client's contexts; the ALPN protocols are offered in the order given. */
  public static TlsContextSource forClient(TlsConfig config, List<String> defaultCiphers, String... alpn) {
    return new TlsContextSource(config, c -> NettyTls.forClient(c, defaultCiphers, alpn));
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

  /** Reads the files now and rebuilds the context if their content changed; returns whether it did. */
  boolean reloadIfChanged() {
    byte[] now;
    try {
      now = fingerprint(config);
    } catch (UncheckedIOException e) {
      log.warn("TLS files of {} cannot be read ({}); keeping the current certificate", config, e.getMessage());
      return false;
    }
    if (Arrays.equals(now, fingerprint)) {
      return false;
    }
    try {
      current = build.apply(config);
      fingerprint = now;
      log.info("TLS files of {} changed: new connections use the new certificate and trust", config);
      return true;
    } catch (RuntimeException e) {
      log.warn("TLS files of {} changed but cannot be used ({}); keeping the current certificate until they can",
          config, e.getMessage());
      return false;
    }
  }

  /** A digest of the content of every file the configuration names. */
  private static byte[] fingerprint(TlsConfig config) {
    List<Path> files = new ArrayList<>(3);
    for (Path p : new Path[] {config.certificateChain(), config.privateKey(), config.trustedCertificates()}) {
      if (p != null) {
        files.add(p);
      }
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Path file : files) {
        digest.update(Files.readAllBytes(file));
        digest.update((byte) 0);
      }
      return digest.digest();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
