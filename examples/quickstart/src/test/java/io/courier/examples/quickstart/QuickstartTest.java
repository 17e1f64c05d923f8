package io.courier.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The quickstart runs as the README says: the client finds the server in the embedded ZooKeeper and prints both
 * answers.
 */
class QuickstartTest {

  @Test
  void runsAndPrintsTheGreetings() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Quickstart.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    assertThat(output).contains("Hello, Courier!").contains("Greeting[text=Good to see you, async caller")
        .containsPattern("found through zookeeper://127\\.0\\.0\\.1:\\d+/courier: \\[[^\\]]+:\\d+\\]");
  }
}
