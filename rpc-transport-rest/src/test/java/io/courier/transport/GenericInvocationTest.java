package io.courier.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.auth.AccessPolicy;
import io.courier.auth.BearerAuth;
import io.courier.client.ClientMetricsInterceptor;
import io.courier.client.GenericService;
import io.courier.client.RpcClient;
import io.courier.common.CallOptions;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.MetricsRecorder;
import io.courier.common.OneWay;
import io.courier.common.RpcException;
import io.courier.common.RpcService;
import io.courier.common.StatusCode;
import io.courier.common.StreamObserver;
import io.courier.rest.PathParam;
import io.courier.rest.RestRoute;
import io.courier.server.RpcServer;
import io.courier.server.ServerContext;
import io.courier.testing.Polling;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generic invocation ({@link GenericService}) against real servers on every transport: the client has no interface
 * of the service — the test's {@link Directory} is on the server's side only, and the client's default serializer is
 * kryo — yet records, POJOs, lists and nulls go in as maps and lists, results come back as maps, and failures,
 * deadlines and authentication behave as they do for a stub.
 */
class GenericInvocationTest {

  /** An address inside {@link Person}. */
  public record Address(String city, String zip) {}

  /** A record the service takes and returns. */
  public record Person(long id, String name, List<String> tags, Address address) {}

  /** An enum inside {@link Event}. */
  public enum Kind { SMALL, LARGE }

  /** A record of values JSON carries as strings: an enum, a date, a UUID. */
  public record Event(Kind kind, LocalDate day, UUID id) {}

  /** A plain class with private fields and no constructor arguments. */
  public static final class Filter {
    private String prefix;
    private int limit;

    public Filter() {}

    String prefix() {
      return prefix;
    }

    int limit() {
      return limit;
    }
  }

  /** A checked exception of the service, whose class the client does not know by name. */
  public static final class DirectoryException extends Exception {
    private static final long serialVersionUID = 1L;

    public DirectoryException(String message) {
      super(message);
    }
  }

  @RpcService(name = "test.Directory")
  public interface Directory {
    Person find(long id);

    Person create(Person person);

    List<Person> search(List<String> tags, Filter filter);

    String describe(String nullable, int count);

    void touch(String id);

    Event next(Event event);

    long twice(long n);

    double half(long n);

    boolean isEven(int n);

    @OneWay
    void log(String line);

    void fail(String message) throws DirectoryException;

    String sleep(long millis);

    String whoAmI();

    /** The value of request header {@code key}. */
    String header(String key);

    /** Reached over REST at {@code GET /people/{id}}; a generic call reaches it by name all the same. */
    @RestRoute(method = "GET", path = "/people/{id}")
    Person get(@PathParam("id") long id);

    void watch(String filter, StreamObserver<Person> people);
  }

  static final class DirectoryImpl implements Directory {
    final List<String> touched = new CopyOnWriteArrayList<>();
    final List<String> logged = new CopyOnWriteArrayList<>();
    final AtomicReference<Filter> lastFilter = new AtomicReference<>();
    final CountDownLatch released = new CountDownLatch(1);
    final AtomicInteger sleeping = new AtomicInteger();
    final List<String> sleepOutcomes = new CopyOnWriteArrayList<>();

    @Override
    public Person find(long id) {
      return new Person(id, "Ada", List.of("math", "engines"), new Address("London", "W1"));
    }

    @Override
    public Person create(Person person) {
      return new Person(person.id() + 1, person.name().toUpperCase(), person.tags(), person.address());
    }

    @Override
    public List<Person> search(List<String> tags, Filter filter) {
      lastFilter.set(filter);
      List<Person> found = new ArrayList<>();
      for (int i = 0; i < filter.limit(); i++) {
        found.add(new Person(i, filter.prefix() + i, tags, null));
      }
      return found;
    }

    @Override
    public String describe(String nullable, int count) {
      return (nullable == null ? "nothing" : nullable) + " x" + count;
    }

    @Override
    public void touch(String id) {
      touched.add(id);
    }

    @Override
    public Event next(Event event) {
      return new Event(event.kind() == Kind.SMALL ? Kind.LARGE : Kind.SMALL, event.day().plusDays(1), event.id());
    }

    @Override
    public long twice(long n) {
      return 2 * n;
    }

    @Override
    public double half(long n) {
      return n / 2.0;
    }

    @Override
    public boolean isEven(int n) {
      return n % 2 == 0;
    }

    @Override
    public void log(String line) {
      logged.add(line);
    }

    @Override
    public void fail(String message) throws DirectoryException {
      throw new DirectoryException(message);
    }

    @Override
    public String sleep(long millis) {
      ServerContext context = ServerContext.current();
      CountDownLatch done = new CountDownLatch(1);
      context.onCancel(done::countDown);
      sleeping.incrementAndGet();
      try {
        if (!done.await(millis, TimeUnit.MILLISECONDS)) {
          released.await(millis, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      String outcome = context.isCancelled() ? "cancelled" : "done";
      sleepOutcomes.add(outcome);
      return outcome;
    }

    @Override
    public String whoAmI() {
      return BearerAuth.caller().getName();
    }

    @Override
    public String header(String key) {
      return ServerContext.current().headers().get(Metadata.Key.of(key));
    }

    @Override
    public Person get(long id) {
      return find(id);
    }

    @Override
    public void watch(String filter, StreamObserver<Person> people) {
      people.onNext(find(1));
      people.onCompleted();
    }
  }

  private final DirectoryImpl directory = new DirectoryImpl();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    directory.released.countDown();
    Collections.reverse(resources);
    for (AutoCloseable c : resources) {
      c.close();
    }
  }

  private RpcServer server(String transport, RpcServer.Builder builder) {
    RpcServer server = builder.host("127.0.0.1").listen(transport, 0).service(Directory.class, directory).build()
        .start();
    resources.add(server);
    return server;
  }

  private RpcServer server(String transport) {
    return server(transport, RpcServer.builder());
  }

  private RpcClient client(String transport, RpcServer server, RpcClient.Builder builder) {
    RpcClient client = builder.transport(transport).address("127.0.0.1:" + server.port()).serializer("kryo").build();
    resources.add(client);
    return client;
  }

  private GenericService directory(String transport) {
    return client(transport, server(transport), RpcClient.builder()).generic("test.Directory");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void recordsComeBackAsMapsAndGoInAsMaps(String transport) {
    GenericService people = directory(transport);

    Object ada42 = people.call("find", 42);
    assertThat(ada42).isEqualTo(Map.of("id", 42, "name", "Ada", "tags", List.of("math", "engines"),
        "address", Map.of("city", "London", "zip", "W1")));
    assertThat(ada42).isInstanceOfSatisfying(LinkedHashMap.class, m -> assertThat(m.keySet())
        .as("in the order the provider wrote them").containsExactly("id", "name", "tags", "address"));

    Map<String, Object> ada = new LinkedHashMap<>();
    ada.put("id", 7);
    ada.put("name", "ada");
    ada.put("tags", List.of("x"));
    ada.put("address", Map.of("city", "Paris", "zip", "75001"));
    assertThat(people.call("create", ada)).isEqualTo(Map.of("id", 8, "name", "ADA", "tags", List.of("x"),
        "address", Map.of("city", "Paris", "zip", "75001")));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void listsPojosAndNulls(String transport) {
    GenericService people = directory(transport);

    Object found = people.call("search", List.of("a", "b"), Map.of("prefix", "p", "limit", 2));
    assertThat(found).isEqualTo(List.of(withNullAddress(Map.of("id", 0, "name", "p0", "tags", List.of("a", "b"))),
        withNullAddress(Map.of("id", 1, "name", "p1", "tags", List.of("a", "b")))));
    assertThat(directory.lastFilter.get().prefix()).isEqualTo("p");

    assertThat(people.call("describe", null, 3)).isEqualTo("nothing x3");
    assertThat(people.call("describe", "two", 2)).isEqualTo("two x2");
  }

  private static Map<String, Object> withNullAddress(Map<String, Object> person) {
    Map<String, Object> m = new LinkedHashMap<>(person);
    m.put("address", null);
    return m;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void enumsDatesAndIdsAreStringsAndNumbersAreAsSmallAsTheyFit(String transport) {
    GenericService people = directory(transport);
    String id = "5f0c6a2e-3c1d-4d6b-9a57-8e2f1b0c7d11";
    assertThat(people.call("next", Map.of("kind", "SMALL", "day", "2026-12-31", "id", id)))
        .isEqualTo(Map.of("kind", "LARGE", "day", "2027-01-01", "id", id));
    assertThat(people.call("twice", 21)).isEqualTo(42);
    assertThat(people.call("twice", 3_000_000_000L)).isEqualTo(6_000_000_000L);
    assertThat(people.call("half", 5)).isEqualTo(2.5);
    assertThat(people.call("isEven", 4)).isEqualTo(true);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void aVoidMethodReturnsNull(String transport) throws Exception {
    GenericService people = directory(transport);
    assertThat(people.call("touch", "t1")).isNull();
    assertThat(people.callAsync("touch", "t2").get(5, TimeUnit.SECONDS)).isNull();
    assertThat(people.callJson("touch", "[\"t3\"]")).isEqualTo("null");
    assertThat(directory.touched).containsExactly("t1", "t2", "t3");
  }

  /** A generic caller cannot know a method is one-way: its call is answered once the method has run. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void aOneWayMethodIsAnsweredOnceItHasRun(String transport) {
    GenericService people = directory(transport);
    assertThat(people.call("log", "line 1")).isNull();
    assertThat(directory.logged).containsExactly("line 1");
  }

  /** The directory as a stub that disagrees about {@code log} sees it. */
  @RpcService(name = "test.Directory")
  public interface DirectoryWithTwoWayLog {
    void log(String line);
  }

  @Test
  void overTcpAStubThatDisagreesAboutOneWayIsStillRefused() {
    RpcServer server = server("tcp");
    DirectoryWithTwoWayLog stub = client("tcp", server, RpcClient.builder()).create(DirectoryWithTwoWayLog.class);
    assertThatThrownBy(() -> stub.log("x")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
      assertThat(e.status().description()).isEqualTo("test.Directory/log is one-way on this server");
    });
    assertThat(directory.logged).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void jsonInJsonOut(String transport) throws Exception {
    GenericService people = directory(transport);
    assertThat(people.callJson("find", "[42]")).startsWith("{").endsWith("}").contains("\"id\":42",
        "\"name\":\"Ada\"", "\"tags\":[\"math\",\"engines\"]", "\"address\":{\"city\":\"London\",\"zip\":\"W1\"}");
    assertThat(people.callJson("describe", " [null, 5] ")).isEqualTo("\"nothing x5\"");
    assertThat(people.callJsonAsync("describe", "[\"a\", 1]").get(5, TimeUnit.SECONDS)).isEqualTo("\"a x1\"");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void aRoutedRestMethodIsCalledByNameAllTheSame(String transport) {
    assertThat(directory(transport).call("get", 5)).asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsEntry("id", 5).containsEntry("name", "Ada");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void anApplicationExceptionArrivesAsRpcExceptionNamingItsClass(String transport) {
    GenericService people = directory(transport);
    assertThatThrownBy(() -> people.call("fail", "no such person")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.UNKNOWN);
      assertThat(e.status().description()).isEqualTo("no such person");
      assertThat(e.trailers().get(GenericService.EXCEPTION_CLASS)).isEqualTo(DirectoryException.class.getName());
    });
    // even when the class is on the client's class path, a generic caller gets the RpcException
    assertThatThrownBy(() -> people.callAsync("fail", "again").get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(RpcException.class,
            e -> assertThat(e.trailers().get(GenericService.EXCEPTION_CLASS))
                .isEqualTo(DirectoryException.class.getName()));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void unknownServicesAndMethodsAreUnimplementedByName(String transport) {
    RpcServer server = server(transport);
    RpcClient client = client(transport, server, RpcClient.builder());
    assertThatThrownBy(() -> client.generic("test.Nowhere").call("find", 1)).isInstanceOfSatisfying(
        RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED);
          assertThat(e.status().description()).contains("unknown service test.Nowhere");
        });
    assertThatThrownBy(() -> client.generic("test.Directory").call("lose", 1)).isInstanceOfSatisfying(
        RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED);
          assertThat(e.status().description()).contains("unknown method lose of service test.Directory");
        });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void wrongArgumentsAreInvalidNamingTheParameters(String transport) {
    // a parameter is named by its name when the provider was compiled with -parameters, else by its position
    GenericService people = directory(transport);
    assertThatThrownBy(() -> people.call("describe", "only one")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
      assertThat(e.status().description()).contains("test.Directory/describe")
          .containsPattern("\\(expected: a JSON array of 2 values: (nullable|#0) \\(String\\), "
              + "(count|#1) \\(int\\)\\)");
    });
    assertThatThrownBy(() -> people.call("find")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
      assertThat(e.status().description())
          .containsPattern("\\(expected: a JSON array of 1 value: (id|#0) \\(long\\)\\)");
    });
    assertThatThrownBy(() -> people.call("find", Map.of("id", 1))).as("wrong shape").isInstanceOfSatisfying(
        RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
          assertThat(e.status().description()).contains("argument 0").containsPattern("(id|#0) \\(long\\)");
        });
    assertThatThrownBy(() -> people.call("create", Map.of("id", "not a number"))).isInstanceOfSatisfying(
        RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
          assertThat(e.status().description()).containsPattern("(person|#0) \\(Person\\)");
        });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void aStreamingMethodIsRefusedByName(String transport) {
    GenericService people = directory(transport);
    assertThatThrownBy(() -> people.call("watch", "x")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED);
      assertThat(e.status().description()).isEqualTo("test.Directory/watch is a SERVER_STREAMING method, and generic"
          + " invocation calls unary methods only (call it through a stub over http2)");
    });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void aDeadlineThatPassesEndsTheCall(String transport) throws Exception {
    RpcServer server = server(transport);
    GenericService slow = client(transport, server, RpcClient.builder())
        .generic("test.Directory", CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200)));
    long start = System.nanoTime();
    assertThatThrownBy(() -> slow.call("sleep", 30_000)).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    assertThatThrownBy(() -> slow.callAsync("sleep", 30_000).get(10, TimeUnit.SECONDS))
        .cause().isInstanceOfSatisfying(RpcException.class,
            e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    Polling.await("both calls cancelled on the provider", () -> directory.sleepOutcomes.size() == 2);
    assertThat(directory.sleepOutcomes).containsExactly("cancelled", "cancelled");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void anAsynchronousCallCompletesOnTheCallbackPoolAndCancellingItCancelsTheCall(String transport) throws Exception {
    GenericService people = directory(transport);
    assertThat(people.callAsync("find", 1).thenApply(value -> Thread.currentThread().getName())
        .get(5, TimeUnit.SECONDS)).startsWith("courier-callback");

    CompletableFuture<Object> sleeper = people.callAsync("sleep", 30_000);
    Polling.await("the provider to run the call", () -> directory.sleeping.get() == 1);
    assertThat(sleeper.cancel(true)).isTrue();
    Polling.await("the provider's context to be cancelled", () -> directory.sleepOutcomes.contains("cancelled"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void bearerAuthRefusesWithoutATokenAndAdmitsWithOne(String transport) {
    RpcServer server = server(transport, RpcServer.builder()
        .interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of("alice-token", "alice", "bob-token", "bob"))))
        .interceptor(AccessPolicy.builder().allow("test.Directory/whoAmI", "alice").build()));
    GenericService anonymous = client(transport, server, RpcClient.builder()).generic("test.Directory");
    GenericService alice = client(transport, server, RpcClient.builder()
        .interceptor(BearerAuth.client(() -> "alice-token"))).generic("test.Directory");
    GenericService bob = client(transport, server, RpcClient.builder()
        .interceptor(BearerAuth.client(() -> "bob-token"))).generic("test.Directory");

    assertThatThrownBy(() -> anonymous.call("whoAmI")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.UNAUTHENTICATED));
    assertThatThrownBy(() -> anonymous.call("lose")).as("an unknown method is refused alike")
        .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNAUTHENTICATED));
    assertThatThrownBy(() -> bob.call("whoAmI")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.PERMISSION_DENIED));
    assertThat(alice.call("whoAmI")).isEqualTo("alice");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void theClientsInterceptorsSeeGenericCalls(String transport) {
    List<String> recorded = new CopyOnWriteArrayList<>();
    MetricsRecorder recorder = new MetricsRecorder() {
      @Override
      public void callStarted(Side side, MethodDescriptor method) {}

      @Override
      public void callCompleted(Side side, MethodDescriptor method, StatusCode code, long durationNanos) {
        recorded.add(method.fullName() + " " + code);
      }
    };
    RpcServer server = server(transport);
    GenericService people = client(transport, server, RpcClient.builder()
        .interceptor(new ClientMetricsInterceptor(recorder))).generic("test.Directory");
    people.call("find", 1);
    assertThatThrownBy(() -> people.call("lose")).isInstanceOf(RpcException.class);
    assertThat(recorded).containsExactly("test.Directory/find OK", "test.Directory/lose UNIMPLEMENTED");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void theClusterSkipsAProviderThatCannotBeReached(String transport) {
    RpcServer gone = server(transport, RpcServer.builder());
    int deadPort = gone.port();
    gone.close();
    RpcServer live = server(transport);
    RpcClient client = RpcClient.builder().transport(transport).address("127.0.0.1:" + deadPort)
        .address("127.0.0.1:" + live.port()).serializer("kryo").build();
    resources.add(client);
    GenericService people = client.generic("test.Directory");
    for (int i = 0; i < 10; i++) {
      assertThat(people.call("describe", "call", i)).isEqualTo("call x" + i);
    }
  }

  @Test
  void badArgumentsAreRefusedBeforeTheCall() {
    GenericService people = directory("tcp");
    assertThatThrownBy(() -> people.callJson("find", "42")).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
      assertThat(e.status().description()).isEqualTo("the arguments of test.Directory/find are not a JSON array: a"
          + " JSON number (expected: a JSON array of the arguments, such as [42] or [])");
    });
    assertThatThrownBy(() -> people.callJson("find", "[42] [43]")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.status().description()).contains("content after the array"));
    assertThatThrownBy(() -> people.callJson("find", "[42")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT));
    assertThatThrownBy(() -> people.call("fi/nd", 1)).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
      assertThat(e.status().description()).startsWith("generic call of test.Directory: method: 'fi/nd'");
    });
    CompletableFuture<Object> async = people.callAsync("", 1);
    assertThat(async).isCompletedExceptionally();
    assertThat(people.callJsonAsync("find", "{}")).isCompletedExceptionally();
  }

  @Test
  void aLoneNullIsOneNullArgument() {
    GenericService people = directory("tcp");
    assertThat(people.call("touch", (Object[]) null)).isNull();
    assertThat(directory.touched).containsExactly((String) null);
  }

  @Test
  void theInProcessTransportSerializesGenericCalls() {
    RpcServer server = RpcServer.builder().listen("inprocess", 0).service(Directory.class, directory).build().start();
    resources.add(server);
    RpcClient client = RpcClient.builder().transport("inprocess")
        .address(server.addresses().get(0).getHostString() + ":0").build();
    resources.add(client);
    GenericService people = client.generic("test.Directory");
    assertThat(people.call("create", Map.of("id", 1, "name", "b", "tags", List.of())))
        .isEqualTo(withNullAddress(Map.of("id", 2, "name", "B", "tags", List.of())));
    assertThatThrownBy(() -> people.call("describe", "x")).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "http2", "rest"})
  void headersTravelWithEveryCall(String transport) {
    Metadata.Key<String> tenant = Metadata.Key.of("tenant");
    RpcServer server = server(transport);
    GenericService people = client(transport, server, RpcClient.builder())
        .generic("test.Directory", CallOptions.DEFAULT.withHeader(tenant, "acme"));
    assertThat(people.options().headers().get(tenant)).isEqualTo("acme");
    assertThat(people.options().serializer()).isEqualTo("json");
    assertThat(people.serviceName()).isEqualTo("test.Directory");
    assertThat(people.call("header", "tenant")).isEqualTo("acme");
  }
}
