package io.courier.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.testing.TestCertificates;
import io.courier.transport.TlsConfig;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading PEM files: a complete change is used, a half-done one (a chain without its key) is not. */
class TlsContextSourceTest {

  @TempDir
  Path dir;

  @Test
  void aChainWhoseKeyHasNotArrivedYetKeepsTheCurrentContext() throws Exception {
    TestCertificates pki = TestCertificates.create(dir);
    TlsContextSource source = TlsContextSource.forServer(TlsConfig.forServer(pki.serverChain(), pki.serverKey()),
        List.of());
    SslContext first = source.current();

    // a rotation caught half way: the new chain is written, its key not yet
    Files.copy(pki.rogueClientChain(), pki.serverChain(), StandardCopyOption.REPLACE_EXISTING);
    assertThat(source.reloadIfChanged()).as("reloaded a chain with another certificate's key").isFalse();
    assertThat(source.current()).isSameAs(first);

    pki.rotateServerCertificate("CN=localhost, O=rotated"); // now both files are new
    assertThat(source.reloadIfChanged()).isTrue();
    assertThat(source.current()).isNotSameAs(first);
  }

  @Test
  void aMismatchedPairIsRefusedAtStart() throws Exception {
    TestCertificates pki = TestCertificates.create(dir);
    assertThatThrownBy(() -> TlsContextSource.forServer(TlsConfig.forServer(pki.serverChain(), pki.clientKey()),
        List.of())).hasMessageContaining("is not the key of");
  }
}
