package io.courier.registry.staticlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.RpcClient;
import io.courier.common.Endpoint;
import io.courier.registry.Registries;
import io.courier.registry.Registry;
import io.courier.registry.ServiceInstance;
import io.courier.server.RpcServer;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticRegistryTest {

  @Test
  void everyServiceIsProvidedAtEveryAddressForAnyTransportVersionAndGroup() {
    try (Registry registry = Registries.connect("static://10.0.0.7:7070, 10.0.0.8:7070")) {
      List<List<ServiceInstance>> lists = new ArrayList<>();
      registry.subscribe("acme.Orders", lists::add);
      assertThat(lists).hasSize(1);
      List<ServiceInstance> providers = lists.get(0);
      assertThat(providers).extracting(i -> i.endpoint("tcp"))
          .containsExactly(new Endpoint("10.0.0.7", 7070), new Endpoint("10.0.0.8", 7070));
      assertThat(providers.get(0).endpoint("http2")).isEqualTo(new Endpoint("10.0.0.7", 7070));
      assertThat(providers.get(0).version()).isEqualTo(ServiceInstance.ANY);
      assertThat(registry.describe()).isEqualTo("static://10.0.0.7:7070,10.0.0.8:7070");
      registry.register(providers.get(0)); // accepted and ignored
    }
  }

  @Test
  void aTransportCanBeNamed() {
    try (Registry registry = Registries.connect("static://10.0.0.7:7070?transport=tcp")) {
      List<ServiceInstance> providers = new ArrayList<>();
      registry.subscribe("acme.Orders", providers::addAll);
      assertThat(providers.get(0).endpoint("tcp")).isNotNull();
      assertThat(providers.get(0).endpoint("http2")).isNull();
    }
  }

  @Test
  void malformedListsSayWhatIsExpected() {
    assertThatThrownBy(() -> Registries.connect("static://")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lists no provider (expected: static://host:port[,host:port])");
    assertThatThrownBy(() -> Registries.connect("static://10.0.0.7")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(expected: host:port)");
  }

  @Test
  void aClientCallsThroughAStaticAddressList() {
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").port(0)
        .service(EchoService.class, new EchoServiceImpl()).build().start();
        RpcClient client = RpcClient.builder().registry("static://127.0.0.1:" + server.port()).build()) {
      assertThat(client.create(EchoService.class).echo("hi")).isEqualTo("hi");
    }
  }
}
