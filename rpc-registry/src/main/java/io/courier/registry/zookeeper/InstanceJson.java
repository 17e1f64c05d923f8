package io.courier.registry.zookeeper;

import io.courier.registry.ServiceInstance;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link ServiceInstance} as the JSON document stored in its ZooKeeper node (docs/registry.md). Written and read
 * field by field through a tree, so the document never carries a Java class name and readers ignore fields they do
 * not know. Invariant: {@link #FORMAT} changes only when a field changes meaning.
 */
final class InstanceJson {

  static final int FORMAT = 1;
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private InstanceJson() {}

  static byte[] toBytes(ServiceInstance instance) {
    return MAPPER.writeValueAsBytes(toTree(instance));
  }

  static ObjectNode toTree(ServiceInstance i) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("format", FORMAT);
    n.put("id", i.id());
    n.put("role", i.role() == ServiceInstance.Role.PROVIDER ? "provider" : "consumer");
    n.put("service", i.service());
    n.put("version", i.version());
    n.put("group", i.group());
    n.put("host", i.host());
    ObjectNode ports = n.putObject("ports");
    i.ports().forEach(ports::put);
    ArrayNode serializers = n.putArray("serializers");
    i.serializers().forEach(serializers::add);
    n.put("weight", i.weight());
    n.put("startTime", i.startTime().toString());
    ObjectNode metadata = n.putObject("metadata");
    i.metadata().forEach(metadata::put);
    return n;
  }

  /**
   * @throws IllegalArgumentException naming what is wrong with the document
   */
  static ServiceInstance fromBytes(byte[] data) {
    return fromBytes(data, null, null);
  }

  /** The instance {@code data} describes, with stand-ins as {@link #fromTree(JsonNode, String, Instant)} takes. */
  static ServiceInstance fromBytes(byte[] data, String idIfAbsent, Instant startIfAbsent) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(data);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    return fromTree(tree, idIfAbsent, startIfAbsent);
  }

  static ServiceInstance fromTree(JsonNode n) {
    return fromTree(n, null, null);
  }

  /**
   * The instance {@code n} describes; {@code idIfAbsent} and {@code startIfAbsent} (when not {@code null}) stand in
   * for an {@code id} or {@code startTime} the node lacks (one another tool wrote), so that the same node reads as the
   * same instance every time: a random id, or a start time of now, would make it a new provider at every read.
   */
  static ServiceInstance fromTree(JsonNode n, String idIfAbsent, Instant startIfAbsent) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    ServiceInstance.Builder b = ServiceInstance.builder(text(n, "service", null))
        .id(text(n, "id", idIfAbsent))
        .role("consumer".equals(text(n, "role", "provider")) ? ServiceInstance.Role.CONSUMER
            : ServiceInstance.Role.PROVIDER)
        .version(text(n, "version", ""))
        .group(text(n, "group", ""))
        .host(text(n, "host", null));
    JsonNode ports = n.path("ports");
    if (ports.isObject()) {
      for (Map.Entry<String, JsonNode> port : ports.properties()) {
        if (!port.getValue().isInt()) {
          throw new IllegalArgumentException("port of " + port.getKey() + " is not a number");
        }
        b.port(port.getKey(), port.getValue().intValue());
      }
    }
    List<String> serializers = new ArrayList<>();
    for (JsonNode s : n.path("serializers").values()) {
      if (s.isString()) {
        serializers.add(s.stringValue());
      }
    }
    b.serializers(serializers);
    JsonNode weight = n.path("weight");
    if (weight.isInt()) {
      b.weight(weight.intValue());
    }
    String start = text(n, "startTime", null);
    if (start == null && startIfAbsent != null) {
      b.startTime(startIfAbsent);
    } else if (start != null) {
      try {
        b.startTime(Instant.parse(start));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("startTime '" + start + "' is not an ISO-8601 instant", e);
      }
    }
    JsonNode metadata = n.path("metadata");
    if (metadata.isObject()) {
      for (Map.Entry<String, JsonNode> e : metadata.properties()) {
        if (e.getValue().isString()) {
          b.metadata(e.getKey(), e.getValue().stringValue());
        }
      }
    }
    return b.build();
  }

  private static String text(JsonNode n, String field, String defaultValue) {
    JsonNode v = n.get(field);
    return v != null && v.isString() ? v.stringValue() : defaultValue;
  }
}
