package io.courier.bench.harness;

import io.courier.bench.harness.SystemUnderTest.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every system the harness knows, in report order. Adding a system is one line here plus a {@code BenchSystem}
 * in the named module's jar. Planned, once their transports exist in Courier (issue 4, the REST binding):
 *
 * <pre>
 * new SystemUnderTest("courier-http2-protobuf", "courier", Kind.RPC, true, "Courier HTTP/2 (gRPC wire) + protobuf")
 * new SystemUnderTest("courier-http2-kryo",     "courier", Kind.RPC, true, "Courier HTTP/2 (gRPC wire) + kryo")
 * new SystemUnderTest("courier-rest-h1",        "courier", Kind.REST, true, "Courier REST/JSON, HTTP/1.1 keep-alive")
 * new SystemUnderTest("courier-rest-h2",        "courier", Kind.REST, true, "Courier REST/JSON, h2")
 * </pre>
 */
public final class SystemCatalog {

  /** The system ratios are taken against unless told otherwise. */
  public static final String DEFAULT_REFERENCE = "courier-tcp-kryo";
  /** The REST baseline of the REST-versus-RPC ratios. */
  public static final String REST_BASELINE = "spring-rest";

  private static final List<SystemUnderTest> ALL = List.of(
      new SystemUnderTest("courier-tcp-kryo", "courier", Kind.RPC, true, "Courier TCP framing + kryo"),
      new SystemUnderTest("courier-tcp-protobuf", "courier", Kind.RPC, true, "Courier TCP framing + protobuf"),
      new SystemUnderTest("courier-tcp-hessian", "courier", Kind.RPC, true, "Courier TCP framing + hessian"),
      new SystemUnderTest("dubbo-hessian2", "dubbo", Kind.RPC, true, "Apache Dubbo 3.3, dubbo protocol + hessian2"),
      new SystemUnderTest("dubbo-triple-protobuf", "dubbo", Kind.RPC, true, "Apache Dubbo 3.3, triple + protobuf"),
      new SystemUnderTest("grpc-java", "grpc", Kind.RPC, true, "grpc-java 1.79, Netty, plaintext, protobuf"),
      new SystemUnderTest("spring-rest", "spring", Kind.REST, true,
          "Spring Boot 4 REST: Spring MVC on Tomcat + Jackson, JDK HttpClient (HTTP/1.1 keep-alive)"),
      new SystemUnderTest("thrift", "thrift", Kind.RPC, true,
          "Apache Thrift 0.17: threaded-selector server, framed transport, binary protocol",
          "the thrift compiler (Debian: apt-get install thrift-compiler), then a rebuild"),
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
