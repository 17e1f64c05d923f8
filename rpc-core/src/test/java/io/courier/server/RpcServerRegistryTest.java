package io.courier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.InMemoryRegistry;
import io.courier.NoOpSerializerProvider;
import io.courier.common.RpcService;
import io.courier.registry.ServiceInstance;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** How a server registers its services, withdraws them first on shutdown, and owns only registries it created. */
class RpcServerRegistryTest {

  @RpcService(name = "test.Greeter", version = "2", group = "blue")
  public interface Greeter {
    String greet(String name);
  }

  @RpcService(name = "test.Clock")
  public interface Clock {
    long now();
  }

  @Test
  void registersEveryServiceOnceBoundAndWithdrawsThemBeforeTheShutdownHooks() {
    InMemoryRegistry registry = new InMemoryRegistry("server-1");
    AtomicReference<List<ServiceInstance>> seenByHook = new AtomicReference<>();
    RpcServer server = RpcServer.builder().host("greeter-host").listen("inprocess", 0)
        .service(Greeter.class, name -> "hi " + name).service(Clock.class, () -> 42L)
        .serializerProvider(new NoOpSerializerProvider())
        .registry(registry).weight(7).metadata("zone", "eu-1")
        .onShutdown(() -> seenByHook.set(registry.instances()))
        .build();
    assertThat(registry.instances()).isEmpty(); // nothing before start
    server.start();

    List<ServiceInstance> instances = registry.instances();
    assertThat(instances).hasSize(2).isEqualTo(server.registrations());
    ServiceInstance greeter = instances.get(0);
    assertThat(greeter.service()).isEqualTo("test.Greeter");
    assertThat(greeter.version()).isEqualTo("2");
    assertThat(greeter.group()).isEqualTo("blue");
    assertThat(greeter.host()).isEqualTo("greeter-host"); // a specific bind host is advertised as is
    assertThat(greeter.ports()).containsExactly(java.util.Map.entry("inprocess", 0));
    assertThat(greeter.weight()).isEqualTo(7);
    assertThat(greeter.metadata()).containsExactly(java.util.Map.entry("zone", "eu-1"));
    assertThat(greeter.serializers()).containsExactly("noop");
    assertThat(instances.get(1).service()).isEqualTo("test.Clock");

    server.close();
    assertThat(seenByHook.get()).as("withdrawn before the hooks ran").isEmpty();
    assertThat(server.registrations()).isEmpty();
    assertThat(registry.closed).as("a registry passed in stays open").isFalse();
  }

  @Test
  void theAdvertisedHostCanBeSet() {
    InMemoryRegistry registry = new InMemoryRegistry("server-2");
    try (RpcServer server = RpcServer.builder().host("bind-host").listen("inprocess", 0)
        .service(Clock.class, () -> 1L).serializerProvider(new NoOpSerializerProvider())
        .registry(registry).advertisedHost("clock.example.com").build().start()) {
      assertThat(registry.instances().get(0).host()).isEqualTo("clock.example.com");
    }
  }

  @Test
  void aRegistryNamedByAddressIsConnectedAtStartAndClosedAfterTheRegistrationsAreWithdrawn() {
    RpcServer server = RpcServer.builder().host("owned-host").listen("inprocess", 0)
        .service(Clock.class, () -> 1L).serializerProvider(new NoOpSerializerProvider())
        .registry("memory://server-owned").build();
    assertThat(InMemoryRegistry.BY_NAME).doesNotContainKey("server-owned");
    server.start();
    InMemoryRegistry registry = InMemoryRegistry.BY_NAME.get("server-owned");
    assertThat(registry.instances()).hasSize(1);
    server.close();
    assertThat(registry.events).containsExactly("register PROVIDER test.Clock", "unregister PROVIDER test.Clock",
        "close");
  }

  @Test
  void withRegisterOnStartOffTheServerServesUnannouncedUntilRegisterAndDeregisterKeepsItServing() {
    RpcServer server = RpcServer.builder().host("late-host").listen("inprocess", 0)
        .service(Clock.class, () -> 1L).serializerProvider(new NoOpSerializerProvider())
        .registry("memory://server-late").registerOnStart(false).build().start();
    InMemoryRegistry registry = InMemoryRegistry.BY_NAME.get("server-late");
    assertThat(registry.instances()).isEmpty();
    assertThat(server.registrations()).isEmpty();

    server.register();
    server.register(); // already registered: nothing more
    assertThat(registry.instances()).hasSize(1).isEqualTo(server.registrations());

    server.deregister();
    server.deregister();
    assertThat(registry.instances()).isEmpty();
    assertThat(server.registrations()).isEmpty();
    assertThat(registry.closed).as("an owned registry stays open until shutdown").isFalse();
    assertThat(server.addresses()).as("still serving").hasSize(1);

    server.register(); // announced again
    assertThat(registry.instances()).hasSize(1);
    server.close();
    assertThat(registry.events).containsExactly("register PROVIDER test.Clock", "unregister PROVIDER test.Clock",
        "register PROVIDER test.Clock", "unregister PROVIDER test.Clock", "close");
    assertThatThrownBy(server::register).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("server is not running (state TERMINATED");
  }

  @Test
  void registerNeedsARegistry() {
    try (RpcServer server = RpcServer.builder().listen("inprocess", 0).service(Clock.class, () -> 1L)
        .serializerProvider(new NoOpSerializerProvider()).build().start()) {
      assertThatThrownBy(server::register).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("no registry configured");
      server.deregister(); // nothing to withdraw: no effect
    }
  }

  @Test
  void serviceOptionsRegisterAnotherVersionAndGroupThanTheAnnotation() {
    InMemoryRegistry registry = new InMemoryRegistry("server-labels");
    try (RpcServer server = RpcServer.builder().host("labels-host").listen("inprocess", 0)
        .service(Greeter.class, name -> "hi", ServiceOptions.DEFAULT.version(" 3 ").group("green"))
        .service(Clock.class, () -> 1L, ServiceOptions.DEFAULT.onIoThread().version("9"))
        .serializerProvider(new NoOpSerializerProvider()).registry(registry).build().start()) {
      ServiceInstance greeter = registry.instances().get(0);
      assertThat(greeter.version()).isEqualTo("3");
      assertThat(greeter.group()).isEqualTo("green");
      ServiceInstance clock = registry.instances().get(1);
      assertThat(clock.version()).isEqualTo("9");
      assertThat(clock.group()).as("not set: the annotation's").isEmpty();
    }
  }
}
