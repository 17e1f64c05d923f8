package io.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.RpcClient;
import io.courier.server.RpcServer;
import io.courier.transport.inprocess.ByReferenceSerializerProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The server's lifecycle under each way of registering the extension, checked by running small test classes (the
 * nested fixtures, which surefire does not run itself) through the JUnit launcher and looking at the servers they saw.
 */
class RpcServerExtensionTest {

  /** The server each fixture test saw, in order. */
  static final List<RpcServer> SEEN = new CopyOnWriteArrayList<>();

  @BeforeEach
  void forget() {
    SEEN.clear();
  }

  static RpcServerExtension.Builder echoServer() {
    return RpcServerExtension.builder().host("0.0.0.0").listen("inprocess") // each in-process server gets a name
        .service(EchoService.class, new EchoServiceImpl())
        .configure(server -> server.serializerProvider(new ByReferenceSerializerProvider()));
  }

  /** Calls the server through a client of {@link RpcServerExtension#clientBuilder()}, and records it. */
  static void callAndRecord(RpcServerExtension extension) {
    try (RpcClient client = extension.clientBuilder().serializerProvider(new ByReferenceSerializerProvider())
        .serializer(ByReferenceSerializerProvider.NAME).build()) {
      assertThat(client.create(EchoService.class).echo("hi")).isEqualTo("hi");
    }
    SEEN.add(extension.server());
  }

  static class StaticField {
    @RegisterExtension
    static final RpcServerExtension server = echoServer().build();
    static RpcServer atBeforeAll;

    @BeforeAll
    static void seeTheServer() {
      atBeforeAll = server.server();
    }

    @Test
    void first() {
      callAndRecord(server);
    }

    @Test
    void second() {
      callAndRecord(server);
    }
  }

  static class InstanceField {
    @RegisterExtension
    final RpcServerExtension server = echoServer().build();

    @Test
    void first() {
      callAndRecord(server);
    }

    @Test
    void second() {
      callAndRecord(server);
    }
  }

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  static class InstanceFieldPerClass {
    @RegisterExtension
    final RpcServerExtension server = echoServer().build();

    @Test
    void first() {
      callAndRecord(server);
    }

    @Test
    void second() {
      callAndRecord(server);
    }
  }

  private static void run(Class<?> fixture) {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(DiscoverySelectors.selectClass(fixture))
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
        .build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    TestExecutionSummary summary = listener.getSummary();
    assertThat(summary.getFailures()).as("failures of %s", fixture.getSimpleName()).isEmpty();
    assertThat(summary.getTestsSucceededCount()).as("tests of %s that passed", fixture.getSimpleName()).isEqualTo(2);
  }

  private static boolean isClosed(RpcServer server) {
    try {
      server.addresses();
      return false;
    } catch (IllegalStateException notRunning) {
      return true;
    }
  }

  @Test
  void aStaticFieldRunsOneServerForTheClassFromBeforeItsBeforeAllMethodsToAfterItsTests() {
    run(StaticField.class);
    assertThat(SEEN).hasSize(2);
    assertThat(SEEN.get(1)).as("the second test's server").isSameAs(SEEN.get(0));
    assertThat(StaticField.atBeforeAll).as("the server @BeforeAll saw").isSameAs(SEEN.get(0));
    assertThat(isClosed(SEEN.get(0))).as("closed after the class").isTrue();
  }

  @Test
  void anInstanceFieldRunsAServerPerTest() {
    run(InstanceField.class);
    assertThat(SEEN).hasSize(2);
    assertThat(SEEN.get(1)).as("the second test's server").isNotSameAs(SEEN.get(0));
    assertThat(SEEN).allMatch(RpcServerExtensionTest::isClosed, "closed after its test");
  }

  @Test
  void anInstanceFieldOfAPerClassTestRunsOneServerForTheClass() {
    run(InstanceFieldPerClass.class);
    assertThat(SEEN).hasSize(2);
    assertThat(SEEN.get(1)).as("the second test's server").isSameAs(SEEN.get(0));
    assertThat(isClosed(SEEN.get(0))).as("closed after the class").isTrue();
  }

  @Test
  void theServerIsThereOnlyWhileItRuns() {
    RpcServerExtension extension = echoServer().build();
    assertThatThrownBy(extension::server).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the server is not running");
  }

  @Test
  void aServerMustListenSomewhereAndOnlyOncePerTransport() {
    assertThatThrownBy(() -> RpcServerExtension.builder().service(EchoService.class, new EchoServiceImpl()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("listen: none (expected: at least one transport, e.g. listen(\"tcp\"))");
    assertThatThrownBy(() -> RpcServerExtension.builder().listen("tcp").listen("tcp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("transport: 'tcp' (expected: one listener per transport)");
  }
}
