package io.courier.registry.zookeeper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.function.Function;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ZooKeeper {@code digest} identity: a user name and its password, and where they came from (for messages). The
 * password never appears in {@link #toString()} or in any message. Immutable.
 */
final class DigestCredentials {

  private static final Logger log = LoggerFactory.getLogger(DigestCredentials.class);

  private final String user;
  private final String password;
  private final String source;

  private DigestCredentials(String user, String password, String source) {
    this.user = user;
    this.password = password;
    this.source = source;
  }

  /**
   * Credentials given in code.
   *
   * @throws IllegalArgumentException if the user is empty or holds a colon, or the password is empty
   */
  static DigestCredentials of(String user, String password, String source) {
    if (user == null || user.isBlank() || user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("digest user: '" + user + "' (expected: a non-empty name without ':')");
    }
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("digest password of user '" + user + "': empty (expected: a password)");
    }
    return new DigestCredentials(user.trim(), password, source);
  }

  /**
   * Reads {@code user:password} from {@code file:/path} (the first line of the file) or {@code env:NAME} (an
   * environment variable). Anything else is refused: a password written into a registry address would be logged
   * with it.
   *
   * @throws IllegalArgumentException naming the reference (never the secret) and what to do
   */
  static DigestCredentials load(String reference, Function<String, String> environment) {
    String ref = reference == null ? "" : reference.trim();
    String text;
    String source;
    if (ref.startsWith("file:")) {
      Path file = Path.of(ref.substring("file:".length()));
      source = "the file " + file;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("credentials: cannot read " + source + " (" + e.getClass().getSimpleName()
            + "; expected: a readable file holding user:password)", e);
      }
      warnIfOthersCanRead(file);
    } else if (ref.startsWith("env:")) {
      String name = ref.substring("env:".length());
      source = "the environment variable " + name;
      text = environment.apply(name);
      if (text == null || text.isBlank()) {
        throw new IllegalArgumentException("credentials: " + ref + " is not set (expected: " + source
            + " holding user:password)");
      }
      text = text.trim();
    } else {
      throw new IllegalArgumentException("credentials: " + (ref.isEmpty() ? "empty" : "a value written in the address")
          + " (expected: file:/path/to/file or env:NAME, holding user:password; a password in the address would be"
          + " logged with it)");
    }
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("credentials: " + source + " does not hold user:password");
    }
    return of(text.substring(0, colon), text.substring(colon + 1), source);
  }

  String user() {
    return user;
  }

  /** Where they came from, for messages: "the file /etc/...", "the environment variable ...", "the builder". */
  String source() {
    return source;
  }

  /** What {@code addauth digest} sends: {@code user:password}. */
  byte[] authBytes() {
    return (user + ":" + password).getBytes(StandardCharsets.UTF_8);
  }

  /** The id ZooKeeper stores in an ACL for this identity: {@code user:base64(sha1(user:password))}. */
  String aclId() {
    try {
      return DigestAuthenticationProvider.generateDigest(user + ":" + password);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("ZooKeeper's digest algorithm is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "digest user '" + user + "'";
  }

  private static void warnIfOthersCanRead(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.contains(PosixFilePermission.OTHERS_READ)
          || permissions.contains(PosixFilePermission.GROUP_READ)) {
        log.warn("the ZooKeeper credentials file {} can be read by other users (chmod 600 it)", file);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // not a POSIX file system: nothing to check
    }
  }
}
