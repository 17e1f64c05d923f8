package io.courier.bench.harness;

import io.courier.bench.harness.SystemUnderTest.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every system the harness knows, in report order. Adding a system is one line here plus a {@code BenchSystem}
 * in the named module's jar. {@link #COMPARISONS} lists the pairs whose ratio the reports single out.
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

  /**
   * A ratio the reports single out, taken round by round like every ratio: {@code numerator}'s result ÷
   * {@code denominator}'s in the same round and cell (throughput in closed loop).
   */
  public record Comparison(String numerator, String denominator, String label, String meaning) {}

  /** REST versus RPC, within Courier and against Spring: the pairs the console table and the report show. */
  public static final List<Comparison> COMPARISONS = List.of(
      new Comparison(COURIER_RPC, COURIER_REST_H1, "RPC ÷ REST-h1", "Courier RPC (TCP + kryo) vs Courier REST (HTTP/1.1)"),
      new Comparison(COURIER_RPC, COURIER_REST_H2, "RPC ÷ REST-h2", "Courier RPC (TCP + kryo) vs Courier REST (h2)"),
      new Comparison(COURIER_REST_H1, REST_BASELINE, "REST-h1 ÷ Spring", "Courier REST (HTTP/1.1) vs Spring REST"),
      new Comparison(COURIER_REST_H2, REST_BASELINE, "REST-h2 ÷ Spring", "Courier REST (h2) vs Spring REST"));

  private static final List<SystemUnderTest> ALL = List.of(
      new SystemUnderTest("courier-tcp-kryo", "courier", Kind.RPC, true, "Courier TCP framing + kryo"),
      new SystemUnderTest("courier-tcp-protobuf", "courier", Kind.RPC, true, "Courier TCP framing + protobuf"),
      new SystemUnderTest("courier-tcp-hessian", "courier", Kind.RPC, true, "Courier TCP framing + hessian"),
      new SystemUnderTest("courier-http2-protobuf", "courier", Kind.RPC, true,
          "Courier HTTP/2 (gRPC wire protocol) + protobuf"),
      new SystemUnderTest("courier-http2-kryo", "courier", Kind.RPC, true,
          "Courier HTTP/2 (gRPC framing, application/grpc+kryo) + kryo"),
      new SystemUnderTest(COURIER_REST_H1, "courier", Kind.REST, true,
          "Courier REST binding: JSON resource routes over HTTP/1.1 keep-alive, Courier's client (connection pool)"),
      new SystemUnderTest(COURIER_REST_H2, "courier", Kind.REST, true,
          "Courier REST binding: JSON resource routes over h2 (prior knowledge), Courier's client (one connection)"),
      new SystemUnderTest("dubbo-hessian2", "dubbo", Kind.RPC, true, "Apache Dubbo 3.3, dubbo protocol + hessian2"),
      new SystemUnderTest("dubbo-fastjson2", "dubbo", Kind.RPC, true,
          "Apache Dubbo 3.3, dubbo protocol + fastjson2 (Dubbo's fastest built-in serialization)"),
      new SystemUnderTest("dubbo-triple-protobuf", "dubbo", Kind.RPC, true, "Apache Dubbo 3.3, triple + protobuf"),
      new SystemUnderTest("grpc-java", "grpc", Kind.RPC, true, "grpc-java 1.79, Netty, plaintext, protobuf"),
      new SystemUnderTest("spring-rest", "spring", Kind.REST, true,
          "Spring Boot 4 REST: Spring MVC on Tomcat + Jackson, JDK HttpClient (HTTP/1.1 keep-alive)"),
      new SystemUnderTest("thrift", "thrift", Kind.RPC, true,
          "Apache Thrift 0.17: threaded-selector server, framed transport, binary protocol"),
      new SystemUnderTest("netty-echo", "limits", Kind.LIMIT, true,
          "raw Netty echo of Courier TCP + kryo's byte sizes (floor of a round trip)"),
      new SystemUnderTest("direct", "limits", Kind.LIMIT, false, "direct call inside the client JVM (no wire)"));

  private SystemCatalog() {}

  public static List<SystemUnderTest> all() {
    return ALL;
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
