package io.courier.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps each module out of the others' internals: a module's main code may name its own {@code internal} packages
 * ({@code io.courier.internal.*} in rpc-core, {@code io.courier.spring.internal.*} in rpc-spring), and no other
 * module's. What a transport needs of the core's internals it reaches through the accessors in public packages
 * ({@code io.courier.server.InternalServerDispatch}, {@code io.courier.server.InternalServerCalls}, {@code
 * io.courier.client.InternalClientCalls}, {@code io.courier.client.InternalInvocation}), as grpc-java's {@code
 * io.grpc.Internal*} classes do. A plain scan of the sources, no bytecode analysis: imports (static ones too) and
 * fully qualified names in code, comments left out.
 *
 * <pre>{@code
 * @Test
 * void noInternalPackageOfAnotherModuleIsUsed() {
 *   InternalImports.assertNone(); // the module's src/main/java (tests run in the module's directory)
 * }
 * }</pre>
 */
public final class InternalImports {

  private static final Pattern INTERNAL_NAME =
      Pattern.compile("\\b(io\\.courier(?:\\.[a-z][a-z0-9_]*)*\\.internal(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z*]");

  private InternalImports() {}

  /**
   * Every line of the main code under {@code sourceRoot} that names an {@code internal} package the code under it
   * does not declare itself, as {@code "path:line: text"}.
   */
  public static List<String> foreign(Path sourceRoot) {
    try {
      List<Path> sources;
      try (Stream<Path> files = Files.walk(sourceRoot)) {
        sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      }
      Set<String> own = new HashSet<>();
      for (Path source : sources) {
        Path dir = sourceRoot.relativize(source).getParent();
        if (dir != null) {
          own.add(dir.toString().replace(source.getFileSystem().getSeparator(), "."));
        }
      }
      List<String> found = new ArrayList<>();
      for (Path source : sources) {
        List<String> lines = Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).strip();
          if (line.startsWith("*") || line.startsWith("/*") || line.startsWith("//")) {
            continue;
          }
          Matcher m = INTERNAL_NAME.matcher(line);
          while (m.find()) {
            if (!own.contains(m.group(1))) {
              found.add(sourceRoot.relativize(source) + ":" + (i + 1) + ": " + line);
            }
          }
        }
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Fails, listing them, if the main code of the module the test runs in ({@code src/main/java} of the working
   * directory) names another module's {@code internal} package; fails as well if there is no main code there.
   */
  public static void assertNone() {
    Path main = Path.of("src", "main", "java");
    if (!Files.isDirectory(main)) {
      throw new AssertionError("no main code at " + main.toAbsolutePath() + " (run the test from its module)");
    }
    List<String> found = foreign(main);
    if (!found.isEmpty()) {
      throw new AssertionError("main code names another module's internal package (use the public Internal*"
          + " accessors, docs/ARCHITECTURE.md):\n  " + String.join("\n  ", found));
    }
  }
}
