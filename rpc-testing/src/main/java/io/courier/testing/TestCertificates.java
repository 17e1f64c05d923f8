package io.courier.testing;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A throwaway PKI for TLS tests, generated at run time and written as PEM files: a certificate authority, a
 * server certificate for {@code localhost}/{@code 127.0.0.1} and a client certificate it issued, plus an
 * unrelated authority with its own client certificate, for the "not trusted" cases.
 *
 * <pre>{@code
 * TestCertificates pki = TestCertificates.create(tempDir);
 * TlsConfig server = TlsConfig.forServer(pki.serverChain(), pki.serverKey()).trust(pki.caCertificate());
 * }</pre>
 */
public final class TestCertificates {

  private final Path dir;
  private final X509Bundle ca;
  private final CertificateBuilder template;

  private TestCertificates(Path dir, X509Bundle ca, CertificateBuilder template) {
    this.dir = dir;
    this.ca = ca;
    this.template = template;
  }

  /** Generates everything into {@code dir}. */
  public static TestCertificates create(Path dir) {
    try {
      Instant now = Instant.now();
      CertificateBuilder template = new CertificateBuilder().ecp256()
          .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS));
      X509Bundle ca = template.copy().subject("CN=Courier Test CA").setIsCertificateAuthority(true)
          .buildSelfSigned();
      X509Bundle server = serverCertificate(template, ca, "CN=localhost");
      X509Bundle client = template.copy().subject("CN=courier-client").addExtendedKeyUsageClientAuth()
          .buildIssuedBy(ca);
      X509Bundle rogueCa = template.copy().subject("CN=Rogue CA").setIsCertificateAuthority(true)
          .buildSelfSigned();
      X509Bundle rogueClient = template.copy().subject("CN=rogue-client").addExtendedKeyUsageClientAuth()
          .buildIssuedBy(rogueCa);
      write(dir, "ca.crt", ca.getCertificatePEM());
      write(dir, "server.crt", server.getCertificatePathPEM());
      write(dir, "server.key", server.getPrivateKeyPEM());
      write(dir, "client.crt", client.getCertificatePathPEM());
      write(dir, "client.key", client.getPrivateKeyPEM());
      write(dir, "rogue-ca.crt", rogueCa.getCertificatePEM());
      write(dir, "rogue-client.crt", rogueClient.getCertificatePathPEM());
      write(dir, "rogue-client.key", rogueClient.getPrivateKeyPEM());
      return new TestCertificates(dir, ca, template);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot generate test certificates", e);
    }
  }

  private static X509Bundle serverCertificate(CertificateBuilder template, X509Bundle ca, String subject)
      throws Exception {
    return template.copy().subject(subject).addSanDnsName("localhost").addSanIpAddress("127.0.0.1")
        .addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
  }

  /**
   * Replaces {@link #serverChain()} and {@link #serverKey()} with a new certificate from the same authority, whose
   * subject is {@code subject} (for example {@code "CN=localhost, O=rotated"}), as a certificate rotation does: each
   * file is written whole and moved into place, the chain first.
   */
  public void rotateServerCertificate(String subject) {
    try {
      X509Bundle server = serverCertificate(template, ca, subject);
      replace(serverChain(), server.getCertificatePathPEM());
      replace(serverKey(), server.getPrivateKeyPEM());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue a server certificate", e);
    }
  }

  private static void replace(Path file, String pem) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, pem, StandardCharsets.US_ASCII);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private static void write(Path dir, String name, String pem) throws IOException {
    Files.writeString(dir.resolve(name), pem, StandardCharsets.US_ASCII);
  }

  public Path caCertificate() {
    return dir.resolve("ca.crt");
  }

  public Path serverChain() {
    return dir.resolve("server.crt");
  }

  public Path serverKey() {
    return dir.resolve("server.key");
  }

  public Path clientChain() {
    return dir.resolve("client.crt");
  }

  public Path clientKey() {
    return dir.resolve("client.key");
  }

  /** An authority that signed nothing the server uses. */
  public Path rogueCaCertificate() {
    return dir.resolve("rogue-ca.crt");
  }

  /** A client certificate from the rogue authority. */
  public Path rogueClientChain() {
    return dir.resolve("rogue-client.crt");
  }

  public Path rogueClientKey() {
    return dir.resolve("rogue-client.key");
  }
}
