package io.courier.examples.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The README's curl commands work as printed: each {@code curl} line of the example's README (and of the REST
 * section of the repository's README) runs, with port 8080 replaced by the test server's, and prints exactly the
 * {@code # } lines that follow it. Needs {@code curl} and {@code sh} on the path; skipped (saying so) without them.
 */
class RestExampleTest {

  /** A command of a README and the output it documents. */
  record Example(String file, String command, List<String> expected) {}

  @Test
  void theReadmeCurlCommandsPrintWhatTheReadmeSays() throws Exception {
    Assumptions.assumeTrue(onPath("curl") && onPath("sh"), "curl and sh are needed to run the README's commands");
    List<Example> examples = new ArrayList<>(examples(Path.of("README.md"), null));
    assertThat(examples).as("curl commands in examples/rest/README.md").hasSizeGreaterThanOrEqualTo(8);
    Path root = Path.of("../../README.md");
    if (Files.exists(root)) {
      // only its REST section: other sections' curl lines are for other examples (the Spring Boot consumer's)
      List<Example> fromRoot = examples(root, "## REST/JSON");
      assertThat(fromRoot).as("curl commands in the repository README's REST/JSON section").isNotEmpty();
      examples.addAll(fromRoot);
    }
    String currentFile = null;
    RpcServer server = null;
    try {
      for (Example example : examples) {
        if (!example.file().equals(currentFile)) { // each README starts from a fresh bookshelf
          if (server != null) {
            server.close();
          }
          server = RestExample.start(0);
          currentFile = example.file();
        }
        String command = example.command().replace("localhost:8080", "localhost:" + server.port());
        assertThat(run(command)).as("output of %s (%s)", example.command(), example.file())
            .isEqualTo(String.join("\n", example.expected()));
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  void theMainProgramCallsItselfThroughACourierStubOverRest() {
    try (RpcServer server = RestExample.start(0);
        RpcClient client = RpcClient.builder().transport("rest").serializer("json")
            .address("127.0.0.1:" + server.port()).build()) {
      Books books = client.create(Books.class);
      assertThat(books.get("978-0134685991").title()).isEqualTo("Effective Java");
      assertThat(books.count()).isEqualTo(2);
      assertThat(books.list("Joshua Bloch")).extracting(Books.Book::title).containsExactly("Effective Java");
    }
  }

  /**
   * Every {@code curl} line in the file's {@code bash} blocks, with the {@code # } lines right after it; with a
   * {@code section} heading, only those between that heading and the next heading of its level.
   */
  static List<Example> examples(Path readme, String section) throws IOException {
    List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
    List<Example> examples = new ArrayList<>();
    boolean inBash = false;
    boolean inSection = section == null;
    String level = section == null ? null : section.substring(0, section.indexOf(' ') + 1);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (section != null && !inBash && line.startsWith(level)) {
        inSection = line.equals(section);
        continue;
      }
      if (!inSection) {
        continue;
      }
      if (line.startsWith("```")) {
        inBash = !inBash && line.startsWith("```bash");
        continue;
      }
      if (inBash && line.startsWith("curl ")) {
        List<String> expected = new ArrayList<>();
        for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("# "); j++) {
          expected.add(lines.get(j).substring(2));
        }
        examples.add(new Example(readme.toString(), line, expected));
      }
    }
    return examples;
  }

  private static String run(String command) throws Exception {
    Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      try {
        process.getInputStream().transferTo(out);
      } catch (IOException e) {
        // the process ended
      }
    });
    reader.start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out after 30 s: " + command);
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(process.exitValue()).as("exit status of %s", command).isZero();
    return out.toString(StandardCharsets.UTF_8).strip();
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
