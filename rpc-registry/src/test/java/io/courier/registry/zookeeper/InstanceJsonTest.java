package io.courier.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.registry.ServiceInstance;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceJsonTest {

  @Test
  void roundTripsEveryField() {
    ServiceInstance i = ServiceInstance.builder("acme.Orders").id("o-1").version("2").group("blue").host("10.0.0.7")
        .port("tcp", 7070).port("http2", 8443).serializers(List.of("kryo", "json")).weight(250)
        .startTime(Instant.parse("2026-05-01T12:00:00.123Z")).metadata("zone", "eu-1").metadata("rack", "r7").build();
    assertThat(InstanceJson.fromBytes(InstanceJson.toBytes(i))).isEqualTo(i);
    ServiceInstance consumer = ServiceInstance.builder("acme.Orders").role(ServiceInstance.Role.CONSUMER)
        .host("10.0.0.9").build();
    assertThat(InstanceJson.fromBytes(InstanceJson.toBytes(consumer))).isEqualTo(consumer);
  }

  @Test
  void readsTheDocumentedExampleAndIgnoresUnknownFields() {
    String json = """
        {
          "format": 1,
          "id": "3f6c1c2a-8d0e-4c1b-9a57-0d6c2f7b1e42",
          "role": "provider",
          "service": "io.courier.examples.Greeter",
          "version": "",
          "group": "",
          "host": "10.0.0.7",
          "ports": {"tcp": 7070},
          "serializers": ["kryo", "json"],
          "weight": 100,
          "startTime": "2026-05-01T12:00:00Z",
          "metadata": {"zone": "eu-1"},
          "addedInAFutureVersion": {"x": 1}
        }""";
    ServiceInstance i = InstanceJson.fromBytes(json.getBytes(StandardCharsets.UTF_8));
    assertThat(i.host()).isEqualTo("10.0.0.7");
    assertThat(i.port("tcp")).isEqualTo(7070);
    assertThat(i.metadata()).containsEntry("zone", "eu-1");
  }

  @Test
  void rejectsDocumentsThatAreNotInstancesSayingWhy() {
    assertThatThrownBy(() -> InstanceJson.fromBytes("[1]".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("not a JSON object");
    assertThatThrownBy(() -> InstanceJson.fromBytes("{\"service\":\"s\",\"ports\":{\"tcp\":1}}"
        .getBytes(StandardCharsets.UTF_8))).hasMessageStartingWith("host of s:");
    assertThatThrownBy(() -> InstanceJson.fromBytes("{\"service\":\"s\",\"host\":\"h\",\"ports\":{\"tcp\":\"x\"}}"
        .getBytes(StandardCharsets.UTF_8))).hasMessage("port of tcp is not a number");
    assertThatThrownBy(() -> InstanceJson.fromBytes("{".getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("not JSON:");
  }
}
