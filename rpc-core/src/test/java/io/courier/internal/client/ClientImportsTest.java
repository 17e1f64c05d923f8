package io.courier.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The client's call path does not reach into the server: the deadline a server call passes on crosses through
 * {@code internal.common.InheritedDeadline} (docs/ARCHITECTURE.md, "A unary call, client side").
 */
class ClientImportsTest {

  @Test
  void noClientClassImportsAServerClass() throws IOException {
    Path main = Path.of("src", "main", "java", "io", "courier");
    List<Path> packages = List.of(main.resolve("client"), main.resolve("internal/client"),
        main.resolve("internal/cluster"));
    int files = 0;
    for (Path dir : packages) {
      try (Stream<Path> sources = Files.list(dir)) {
        for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
          files++;
          assertThat(Files.readAllLines(source)).as(source.toString())
              .noneMatch(line -> line.startsWith("import io.courier.server.")
                  || line.startsWith("import io.courier.internal.server."));
        }
      }
    }
    assertThat(files).as("the sources were found").isGreaterThan(20);
  }
}
