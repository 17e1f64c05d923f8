package io.courier.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading digest credentials from a file (docs/registry.md, "ACLs and authentication"). */
class DigestCredentialsTest {

  @TempDir
  Path temp;

  /** "A warning is logged if other users can read it" (credentials=file:/path); the password is never shown. */
  @Test
  void aCredentialsFileThatOtherUsersCanReadIsWarnedAboutAndAPrivateOneIsNot() throws Exception {
    Path own = temp.resolve("own.digest");
    Path groupReadable = temp.resolve("group.digest");
    Path worldReadable = temp.resolve("world.digest");
    for (Path file : List.of(own, groupReadable, worldReadable)) {
      Files.writeString(file, "provider:s3cret\n");
    }
    Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(groupReadable, PosixFilePermissions.fromString("rw-r-----"));
    Files.setPosixFilePermissions(worldReadable, PosixFilePermissions.fromString("rw-r--r--"));
    String warning = " can be read by other users (chmod 600 it)";

    try (ErrCapture err = new ErrCapture()) {
      assertThat(DigestCredentials.load("file:" + own, name -> null).user()).isEqualTo("provider");
      assertThat(err.text()).doesNotContain(warning);

      DigestCredentials.load("file:" + groupReadable, name -> null);
      DigestCredentials.load("file:" + worldReadable, name -> null);
      assertThat(err.text())
          .contains("the ZooKeeper credentials file " + groupReadable + warning)
          .contains("the ZooKeeper credentials file " + worldReadable + warning)
          .doesNotContain("the ZooKeeper credentials file " + own)
          .doesNotContain("s3cret");
    }
  }
}
