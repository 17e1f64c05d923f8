package io.courier.bench.harness;

import io.courier.bench.driver.Workload;
import io.courier.bench.harness.SystemUnderTest.Kind;
import io.courier.bench.harness.SystemUnderTest.Tier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every system the harness knows, in report order, with the source of each peer's settings. Adding a system is one
 * line here plus a {@code BenchSystem} in the named module's jar. {@link #COMPARISONS} lists the pairs whose ratio the
 * reports single out.
 */
public final class SystemCatalog {

  /** The system ratios are taken against unless told otherwise. */
  public static final String DEFAULT_REFERENCE = "courier-tcp-kryo";
  /** The REST baseline of the REST-versus-RPC ratios. */
  public static final String REST_BASELINE = "spring-rest";

  /** Courier's RPC reference, and its REST binding over HTTP/1.1 and h2: the REST-versus-RPC comparison of Courier. */
  public static final String COURIER_RPC = "courier-tcp-kryo";
  public static final String COURIER_REST_H1 = "courier-rest-h1";
  public static final String COURIER_REST_H2 = "courier-rest-h2";

  /** The sets of ratios the console and the report show as tables of their own. */
  public enum Group {
    SAME_SERIALIZER("Same serializer: Courier ÷ the peer on the same format"),
    LIMIT("Against the floor: Courier TCP + kryo ÷ a raw Netty round trip (target ≥ 0.8× netty-kryo)"),
    REST("Courier REST versus RPC, and versus Spring REST");

    private final String title;

    Group(String title) {
      this.title = title;
    }

    public String title() {
      return title;
    }
  }

  /**
   * A ratio the reports single out, taken round by round like every ratio: {@code numerator}'s result ÷
   * {@code denominator}'s in the same round and cell (throughput in closed loop).
   */
  public record Comparison(Group group, String numerator, String denominator, String label, String meaning) {}

  public static final List<Comparison> COMPARISONS = List.of(
      new Comparison(Group.SAME_SERIALIZER, COURIER_RPC, "dubbo-kryo", "kryo",
          "Courier TCP + kryo vs Dubbo protocol + kryo (class registration)"),
      new Comparison(Group.SAME_SERIALIZER, "courier-tcp-hessian", "dubbo-hessian2", "hessian",
          "Courier TCP + hessian vs Dubbo protocol + hessian2"),
      new Comparison(Group.SAME_SERIALIZER, "courier-http2-protobuf", "grpc-java", "protobuf/gRPC",
          "Courier HTTP/2 (gRPC wire) + protobuf vs grpc-java (direct executors, epoll)"),
      new Comparison(Group.LIMIT, COURIER_RPC, "netty-kryo", "÷ netty-kryo",
          "Courier TCP + kryo vs raw Netty + the same kryo encoding (the framework's own cost)"),
      new Comparison(Group.LIMIT, COURIER_RPC, "netty-echo", "÷ netty-echo",
          "Courier TCP + kryo vs raw Netty moving the same bytes (no serialization)"),
      new Comparison(Group.REST, COURIER_RPC, COURIER_REST_H1, "RPC ÷ REST-h1",
          "Courier RPC (TCP + kryo) vs Courier REST (HTTP/1.1)"),
      new Comparison(Group.REST, COURIER_RPC, COURIER_REST_H2, "RPC ÷ REST-h2",
          "Courier RPC (TCP + kryo) vs Courier REST (h2)"),
      new Comparison(Group.REST, COURIER_REST_H1, REST_BASELINE, "REST-h1 ÷ Spring",
          "Courier REST (HTTP/1.1) vs Spring REST (RestClient on pooled HttpClient 5)"),
      new Comparison(Group.REST, COURIER_REST_H2, REST_BASELINE, "REST-h2 ÷ Spring",
          "Courier REST (h2) vs Spring REST"));

  /** The systems whose CPU per call, client and server, tells a REST client's cost from a REST server's. */
  public static final List<String> REST_COST_SYSTEMS = List.of(REST_BASELINE, "spring-rest-jdk",
      "cross-courier-to-spring", "cross-jdk-to-courier", COURIER_REST_H1);

  private static final String GRPC_QPS = "grpc/grpc-java benchmarks/src/main/java/io/grpc/benchmarks/qps/"
      + "AsyncServer.java (newServer: directExecutor, NETTY_EPOLL) and Utils.java (newClientChannel: directExecutor)";
  private static final String DUBBO_BENCH = "apache/dubbo-benchmark dubbo-*-server/src/main/resources/provider.xml"
      + " and dubbo-*-client/src/main/resources/consumer.xml (registry N/A, filter -default, serialization on"
      + " protocol and URL)";
  private static final String SPRING_CLIENT = "Spring Framework reference, REST Clients: RestClient with"
      + " HttpComponentsClientHttpRequestFactory; HttpClient 5 PoolingHttpClientConnectionManager (default 5 per"
      + " route, 25 total) sized with setMaxConnPerRoute/setMaxConnTotal";

  private static final List<SystemUnderTest> ALL = List.of(
      SystemUnderTest.of("courier-tcp-kryo", "courier", Kind.RPC, Tier.HEADLINE, "Courier TCP framing + kryo",
          "Courier's defaults (one connection, 200 workers, deadline 30 s)"),
      SystemUnderTest.of("courier-tcp-protobuf", "courier", Kind.RPC, Tier.CONTEXT, "Courier TCP framing + protobuf",
          "Courier's defaults"),
      SystemUnderTest.of("courier-tcp-hessian", "courier", Kind.RPC, Tier.HEADLINE, "Courier TCP framing + hessian",
          "Courier's defaults"),
      SystemUnderTest.of("courier-http2-protobuf", "courier", Kind.RPC, Tier.HEADLINE,
          "Courier HTTP/2 (gRPC wire protocol) + protobuf", "Courier's defaults"),
      SystemUnderTest.of("courier-http2-kryo", "courier", Kind.RPC, Tier.CONTEXT,
          "Courier HTTP/2 (gRPC framing, application/grpc+kryo) + kryo", "Courier's defaults"),
      SystemUnderTest.of(COURIER_REST_H1, "courier", Kind.REST, Tier.HEADLINE,
          "Courier REST binding: JSON resource routes over HTTP/1.1 keep-alive, Courier's client (connection pool)",
          "Courier's defaults"),
      SystemUnderTest.of(COURIER_REST_H2, "courier", Kind.REST, Tier.HEADLINE,
          "Courier REST binding: JSON resource routes over h2 (prior knowledge), Courier's client (one connection)",
          "Courier's defaults"),
      SystemUnderTest.of("dubbo-kryo", "dubbo", Kind.RPC, Tier.HEADLINE,
          "Apache Dubbo 3.3, dubbo protocol + kryo with class registration (dubbo-serialization-kryo 1.0.1)",
          DUBBO_BENCH + "; dubbo-kryo-server/provider.xml (serialization=kryo, optimizer) and"
              + " benchmark-base/.../serialize/SerializationOptimizerImpl.java (User, Page, UserService)"),
      SystemUnderTest.of("dubbo-hessian2", "dubbo", Kind.RPC, Tier.HEADLINE,
          "Apache Dubbo 3.3, dubbo protocol + hessian2 (Dubbo's default serialization)", DUBBO_BENCH),
      SystemUnderTest.of("dubbo-fastjson2", "dubbo", Kind.RPC, Tier.HEADLINE,
          "Apache Dubbo 3.3, dubbo protocol + fastjson2 (the fastest serialization in Dubbo's own jar)", DUBBO_BENCH),
      SystemUnderTest.of("dubbo-triple-protobuf", "dubbo", Kind.RPC, Tier.EXTRA,
          "Apache Dubbo 3.3, triple + protobuf through a hand-written interface (Dubbo's reflection path)",
          "not how triple users run it: they generate stubs with dubbo-maven-plugin/dubbo-compiler, which Maven"
              + " Central does not serve here for Dubbo 3.3; so it is out of the results"),
      SystemUnderTest.of("grpc-java", "grpc", Kind.RPC, Tier.HEADLINE,
          "grpc-java 1.79, Netty, plaintext, protobuf; direct executors, epoll", GRPC_QPS),
      SystemUnderTest.of("grpc-java-defaults", "grpc", Kind.RPC, Tier.CONTEXT,
          "grpc-java 1.79 at its defaults: default server and channel executors", "NettyServerBuilder and"
              + " NettyChannelBuilder defaults"),
      SystemUnderTest.of(REST_BASELINE, "spring", Kind.REST, Tier.HEADLINE,
          "Spring Boot 4 REST: Spring MVC on Tomcat + Jackson, RestClient on a pooled Apache HttpClient 5",
          SPRING_CLIENT),
      SystemUnderTest.of("spring-rest-jdk", "spring", Kind.REST, Tier.CONTEXT,
          "Spring Boot 4 REST called with the JDK HttpClient (HTTP/1.1 keep-alive): the earlier spring-rest row",
          "JDK HttpClient defaults"),
      new SystemUnderTest("cross-courier-to-spring", "spring", "courier", Kind.REST, true,
          "Courier's REST client (HTTP/1.1) calling Spring Boot's server: with spring-rest-jdk and courier-rest-h1,"
              + " tells client cost from server cost", "each side as in its own row", java.util.EnumSet.allOf(
                  Workload.class), Tier.CONTEXT).without(Workload.ECHO),
      new SystemUnderTest("cross-jdk-to-courier", "courier", "spring", Kind.REST, true,
          "the JDK HttpClient calling Courier's REST server (HTTP/1.1)", "each side as in its own row",
          java.util.EnumSet.allOf(Workload.class), Tier.CONTEXT).without(Workload.ECHO),
      SystemUnderTest.of("thrift", "thrift", Kind.RPC, Tier.HEADLINE,
          "Apache Thrift 0.17: threaded-selector server, framed transport, binary protocol",
          "Thrift's throughput setup (TThreadedSelectorServer + TFramedTransport + TBinaryProtocol), one client"
              + " per thread"),
      SystemUnderTest.of("netty-kryo", "limits", Kind.LIMIT, Tier.HEADLINE,
          "raw Netty round trip encoding and decoding the same objects with Courier's kryo settings (no framework)",
          "the floor for object workloads"),
      SystemUnderTest.of("netty-echo", "limits", Kind.LIMIT, Tier.HEADLINE,
          "raw Netty echo of Courier TCP + kryo's byte sizes (floor of a round trip)", "the floor of the wire"),
      new SystemUnderTest("direct", "limits", "limits", Kind.LIMIT, false,
          "direct call inside the client JVM (no wire)", "the ceiling", java.util.EnumSet.allOf(Workload.class),
          Tier.CONTEXT));

  private SystemCatalog() {}

  public static List<SystemUnderTest> all() {
    return ALL;
  }

  /** The systems of a tier or above: HEADLINE gives the quick set, CONTEXT the full set, EXTRA everything. */
  public static List<SystemUnderTest> upTo(Tier tier) {
    return ALL.stream().filter(s -> s.tier().ordinal() <= tier.ordinal()).toList();
  }

  /** The system called {@code name}, or null. */
  public static SystemUnderTest byName(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }

  /**
   * The systems named, in catalog order.
   *
   * @throws IllegalArgumentException naming the known systems
   */
  public static List<SystemUnderTest> select(List<String> names) {
    Map<String, SystemUnderTest> byName = new LinkedHashMap<>();
    ALL.forEach(s -> byName.put(s.name(), s));
    for (String name : names) {
      if (!byName.containsKey(name)) {
        throw new IllegalArgumentException("system: " + name + " (expected one of: "
            + String.join(", ", byName.keySet()) + ")");
      }
    }
    List<SystemUnderTest> chosen = new ArrayList<>();
    for (SystemUnderTest s : ALL) {
      if (names.contains(s.name())) {
        chosen.add(s);
      }
    }
    return chosen;
  }
}
