package io.courier.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.InMemoryRegistry;
import io.courier.NoOpSerializerProvider;
import io.courier.Polling;
import io.courier.client.RpcClient;
import io.courier.cluster.ClusterOptions;
import io.courier.cluster.LoadBalancers;
import io.courier.common.CallOptions;
import io.courier.common.Endpoint;
import io.courier.common.RpcException;
import io.courier.common.RpcService;
import io.courier.common.StatusCode;
import io.courier.registry.ServiceInstance;
import io.courier.server.RpcServer;
import io.courier.server.ServiceOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client finding providers in a registry: subscription, filtering, changes, release of dropped endpoints. */
class RegistryDirectoryTest {

  @RpcService(name = "test.Greeter", version = "2", group = "blue")
  public interface Greeter {
    String greet(String name);
  }

  private static final AtomicInteger NAMES = new AtomicInteger();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final RecordingTransportFactory transport = new RecordingTransportFactory();
  private final InMemoryRegistry registry = new InMemoryRegistry("directory-" + NAMES.incrementAndGet());

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(resources);
    for (AutoCloseable c : resources) {
      c.close();
    }
  }

  @Test
  void callsGoOnlyToProvidersOfTheSameVersionGroupAndTransport() {
    String good = provider("good");
    registry.register(instance("other-version").version("1").build());
    registry.register(instance("other-group").group("green").build());
    registry.register(ServiceInstance.builder("test.Greeter").version("2").group("blue").host("tcp-only")
        .port("tcp", 7070).build());
    Greeter greeter = client().create(Greeter.class);
    for (int i = 0; i < 10; i++) {
      assertThat(greeter.greet("x")).isEqualTo(good + " greets x");
    }
    assertThat(transport.attempts.keySet()).containsExactly(good);
  }

  @Test
  void aStubCanAskForAnotherVersionAndGroupThanItsAnnotationAndSayWhoItsProvidersAre() {
    String blue = provider("blue");
    String canary = "canary-" + NAMES.incrementAndGet();
    resources.add(RpcServer.builder().host(canary).listen("inprocess", 0)
        .service(Greeter.class, name -> canary + " greets " + name, ServiceOptions.DEFAULT.version("3").group("green"))
        .serializerProvider(new NoOpSerializerProvider()).registry(registry).build().start());
    RpcClient client = client();
    Greeter plain = client.create(Greeter.class);
    CallOptions green3 = CallOptions.DEFAULT.with(ClusterOptions.VERSION, "3").with(ClusterOptions.GROUP, "green");
    Greeter chosen = client.create(Greeter.class, green3);
    for (int i = 0; i < 5; i++) {
      assertThat(plain.greet("x")).isEqualTo(blue + " greets x");
      assertThat(chosen.greet("x")).isEqualTo(canary + " greets x");
    }
    assertThat(client.providers(plain)).containsExactly(new Endpoint(blue, 0));
    assertThat(client.providers(chosen)).containsExactly(new Endpoint(canary, 0));
    Greeter copied = client.withOptions(plain, green3);
    assertThat(copied.greet("y")).isEqualTo(canary + " greets y");
    Greeter onlyVersion = client.create(Greeter.class, CallOptions.DEFAULT.with(ClusterOptions.VERSION, "3"));
    assertThat(client.providers(onlyVersion)).as("version 3 in the annotation's group blue: nobody").isEmpty();
    assertThatThrownBy(() -> onlyVersion.greet("z")).isInstanceOfSatisfying(RpcException.class, e ->
        assertThat(e.status().description()).startsWith("no provider of test.Greeter:3 (group blue) is known"));
    assertThatThrownBy(() -> client.providers("not a stub")).isInstanceOf(IllegalArgumentException.class);
    assertThat(RpcClient.isStub(plain)).isTrue();
    assertThat(RpcClient.isStub("not a stub")).isFalse();
  }

  @Test
  void newProvidersAreUsedAndDroppedOnesReleased() {
    String first = provider("first");
    Greeter greeter = client().create(Greeter.class);
    greeter.greet("x");
    String second = provider("second");
    Polling.await("the new provider to get calls", () -> {
      greeter.greet("x");
      return transport.attempts(second) > 0;
    });
    ServiceInstance firstInstance = registry.instances().stream().filter(i -> i.host().equals(first)).findFirst()
        .orElseThrow();
    registry.unregister(firstInstance);
    assertThat(transport.disconnected).containsExactly(new Endpoint(first, 0));
    int before = transport.attempts(first);
    for (int i = 0; i < 10; i++) {
      assertThat(greeter.greet("x")).startsWith(second);
    }
    assertThat(transport.attempts(first)).isEqualTo(before);
  }

  @Test
  void aMomentWithNoProviderInTheRegistryFailsNoCallTheLastKnownOnesAreKept() {
    String first = provider("first");
    Greeter greeter = client().create(Greeter.class);
    assertThat(greeter.greet("x")).startsWith(first);
    ServiceInstance registered = registry.instances().stream().filter(i -> i.host().equals(first)).findFirst()
        .orElseThrow();

    registry.unregister(registered); // as the ensemble does when it expires the provider's session
    assertThat(greeter.greet("x")).as("still served by the last known provider").startsWith(first);
    assertThat(transport.disconnected).isEmpty();

    registry.register(registered); // ... and as the provider does a moment later, under its new session
    assertThat(greeter.greet("x")).startsWith(first);
    String second = provider("second");
    ServiceInstance firstAgain = registry.instances().stream().filter(i -> i.host().equals(first)).findFirst()
        .orElseThrow();
    registry.unregister(firstAgain);
    assertThat(greeter.greet("x")).as("a list with providers is applied as it is").startsWith(second);
    assertThat(transport.disconnected).containsExactly(new Endpoint(first, 0));
  }

  @Test
  void aProviderRestartedOnTheSameAddressIsNotHeldOutByTheEjectionOfItsPreviousProcess() {
    String stays = provider("stays");
    String host = "restarted-" + NAMES.incrementAndGet();
    // The first process: its registration (made a minute ago) outlives it, as a crashed provider's node does until
    // its session expires.
    RpcServer first = RpcServer.builder().host(host).listen("inprocess", 0)
        .service(Greeter.class, name -> "first greets " + name).serializerProvider(new NoOpSerializerProvider())
        .build().start();
    registry.register(instance(host).startTime(Instant.now().minusSeconds(60)).build());
    RpcClient client = RpcClient.builder().transport(transport).serializerProvider(new NoOpSerializerProvider())
        .registry(registry).loadBalancer(LoadBalancers.ROUND_ROBIN).slowStart(Duration.ZERO)
        .outlierDetection(1, Duration.ofHours(1), Duration.ofHours(1)).build();
    resources.add(client);
    Greeter greeter = client.create(Greeter.class);
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      answers.add(greeter.greet("x"));
    }
    assertThat(answers).contains("first greets x", stays + " greets x");

    first.close(); // crashed: nothing unregistered
    for (int i = 0; i < 4; i++) {
      assertThat(greeter.greet("x")).as("failed over, and the dead one ejected for an hour").startsWith(stays);
    }
    int attemptsBefore = transport.attempts(host);
    for (int i = 0; i < 4; i++) {
      greeter.greet("x");
    }
    assertThat(transport.attempts(host)).as("still ejected").isEqualTo(attemptsBefore);

    resources.add(RpcServer.builder().host(host).listen("inprocess", 0)
        .service(Greeter.class, name -> "second greets " + name).serializerProvider(new NoOpSerializerProvider())
        .registry(registry).build().start()); // the new process registers beside the old node
    answers.clear();
    for (int i = 0; i < 4; i++) {
      answers.add(greeter.greet("x"));
    }
    assertThat(answers).as("round-robin over both again, at once").containsExactlyInAnyOrder("second greets x",
        "second greets x", stays + " greets x", stays + " greets x");
  }

  @Test
  void withNoMatchingProviderTheErrorSaysWhatWasFiltered() {
    registry.register(instance("old").version("1").build());
    registry.register(ServiceInstance.builder("test.Greeter").version("2").group("blue").host("tcp-only")
        .port("tcp", 7070).build());
    Greeter greeter = client().create(Greeter.class);
    assertThatThrownBy(() -> greeter.greet("x")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
      assertThat(e.status().description()).isEqualTo("no provider of test.Greeter:2 (group blue) is known ("
          + registry.describe() + ": 2 registered, 1 of another version than '2', 1 not offering transport"
          + " 'inprocess' (they offer [tcp]))");
    });
  }

  @Test
  void closingTheClientEndsItsSubscriptionsAndConsumerRegistrationButLeavesASharedRegistryOpen() {
    provider("p");
    RpcClient client = RpcClient.builder().transport(transport).serializerProvider(new NoOpSerializerProvider())
        .registry(registry).registerConsumer(true).build();
    client.create(Greeter.class);
    client.create(Greeter.class); // one subscription per service, not per stub
    assertThat(registry.listenerCount()).isEqualTo(1);
    assertThat(registry.instances()).anySatisfy(i -> {
      assertThat(i.role()).isEqualTo(ServiceInstance.Role.CONSUMER);
      assertThat(i.metadata()).containsEntry("transport", "inprocess");
    });
    client.close();
    assertThat(registry.listenerCount()).isZero();
    assertThat(registry.instances()).noneMatch(i -> i.role() == ServiceInstance.Role.CONSUMER);
    assertThat(registry.closed).isFalse();
  }

  @Test
  void aRegistryNamedByAddressBelongsToTheClient() {
    RpcClient client = RpcClient.builder().transport(transport).serializerProvider(new NoOpSerializerProvider())
        .registry("memory://client-owned-" + NAMES.incrementAndGet()).build();
    InMemoryRegistry owned = InMemoryRegistry.BY_NAME.get("client-owned-" + NAMES.get());
    client.create(Greeter.class);
    client.close();
    assertThat(owned.closed).isTrue();
    assertThat(owned.events).containsExactly("subscribe test.Greeter", "unsubscribe test.Greeter", "close");
  }

  @Test
  void anUnknownSchemeFailsTheBuild() {
    assertThatThrownBy(() -> RpcClient.builder().transport(transport).serializerProvider(new NoOpSerializerProvider())
        .registry("consul://h:8500").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown registry scheme 'consul' in 'consul://h:8500' (available: memory;");
    assertThatThrownBy(() -> RpcClient.builder().transport(transport).registry(registry).address("h:1").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("providers configured more than one way");
  }

  private ServiceInstance.Builder instance(String host) {
    return ServiceInstance.builder("test.Greeter").version("2").group("blue").host(host).port("inprocess", 0);
  }

  /** Starts an in-process provider that registers itself; returns its host name. */
  private String provider(String prefix) {
    String host = prefix + "-" + NAMES.incrementAndGet();
    RpcServer server = RpcServer.builder().host(host).listen("inprocess", 0)
        .service(Greeter.class, name -> host + " greets " + name).serializerProvider(new NoOpSerializerProvider())
        .registry(registry).build().start();
    resources.add(server);
    return host;
  }

  private RpcClient client() {
    RpcClient client = RpcClient.builder().transport(transport).serializerProvider(new NoOpSerializerProvider())
        .registry(registry).build();
    resources.add(client);
    return client;
  }
}
