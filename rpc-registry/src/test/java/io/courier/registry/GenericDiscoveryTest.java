package io.courier.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.GenericService;
import io.courier.client.RpcClient;
import io.courier.cluster.ClusterOptions;
import io.courier.cluster.LoadBalancers;
import io.courier.common.CallOptions;
import io.courier.common.RpcException;
import io.courier.common.RpcService;
import io.courier.common.StatusCode;
import io.courier.registry.zookeeper.ZooKeeperRegistry;
import io.courier.server.RpcServer;
import io.courier.server.ServiceOptions;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Generic calls find their providers as stubs do: through a real ZooKeeper (curator-test's TestingServer), by
 * version, balanced across the providers that match, and past one that stops.
 */
class GenericDiscoveryTest {

  @RpcService(name = "test.Nodes")
  public interface Nodes {
    String whoAreYou(String caller);
  }

  @RegisterExtension
  final TestZooKeeper zookeeper = new TestZooKeeper();

  private RpcServer provider(String name, String version) {
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0)
        .service(Nodes.class, caller -> name + " to " + caller, ServiceOptions.DEFAULT.version(version))
        .registry("zookeeper://" + zookeeper.getConnectString()).build().start();
    zookeeper.closeAfter(server);
    return server;
  }

  @Test
  void genericCallsGoToTheProvidersOfTheirVersionThroughTheBalancer() {
    provider("v1", "1");
    provider("v2-a", "2");
    RpcServer leaving = provider("v2-b", "2");
    ZooKeeperRegistry registry = ZooKeeperRegistry.builder(zookeeper.getConnectString()).build();
    zookeeper.closeAfter(registry);
    RpcClient client = RpcClient.builder().registry(registry).loadBalancer(LoadBalancers.ROUND_ROBIN).build();
    zookeeper.closeAfter(client);

    GenericService nodes = client.generic("test.Nodes", CallOptions.DEFAULT.with(ClusterOptions.VERSION, "2"));
    Set<Object> answers = new TreeSet<>();
    for (int i = 0; i < 10; i++) {
      answers.add(nodes.call("whoAreYou", "me"));
    }
    assertThat(answers).containsExactly("v2-a to me", "v2-b to me");

    leaving.close(); // deregisters, then stops: calls keep being answered by the other
    for (int i = 0; i < 10; i++) {
      assertThat(nodes.call("whoAreYou", "me")).isEqualTo("v2-a to me");
    }

    assertThat(client.generic("test.Nodes", CallOptions.DEFAULT.with(ClusterOptions.VERSION, "1"))
        .call("whoAreYou", "me")).isEqualTo("v1 to me");
  }

  @Test
  void aServiceNobodyProvidesIsUnavailableNamingIt() {
    provider("v1", "1");
    RpcClient client = RpcClient.builder().registry("zookeeper://" + zookeeper.getConnectString()).build();
    zookeeper.closeAfter(client);
    assertThatThrownBy(() -> client.generic("test.Nowhere").call("anything")).isInstanceOfSatisfying(
        RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
          assertThat(e.status().description()).contains("no provider of test.Nowhere is known");
        });
  }
}
