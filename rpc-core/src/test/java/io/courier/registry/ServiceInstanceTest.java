package io.courier.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.common.Endpoint;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceInstanceTest {

  @Test
  void holdsWhatWasBuiltAndCopiesBack() {
    ServiceInstance i = ServiceInstance.builder("acme.Orders").id("orders-1").version("2").group("blue")
        .host("10.0.0.7").port("tcp", 7070).port("http2", 8443).serializers(List.of("kryo", "json")).weight(50)
        .startTime(Instant.parse("2026-01-02T03:04:05.678901Z")).metadata("zone", "eu-1").build();
    assertThat(i.endpoint("tcp")).isEqualTo(new Endpoint("10.0.0.7", 7070));
    assertThat(i.endpoint("http2")).isEqualTo(new Endpoint("10.0.0.7", 8443));
    assertThat(i.endpoint("rest")).isNull();
    assertThat(i.startTime()).isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
    assertThat(i.role()).isEqualTo(ServiceInstance.Role.PROVIDER);
    assertThat(i.toBuilder().build()).isEqualTo(i).hasSameHashCodeAs(i);
    assertThat(i.toString()).isEqualTo("acme.Orders:2 (group blue) at 10.0.0.7 {tcp=7070, http2=8443} [orders-1]");
  }

  @Test
  void anyTransportMatchesEveryTransport() {
    ServiceInstance i = ServiceInstance.builder("s").host("h").port(ServiceInstance.ANY, 1).build();
    assertThat(i.endpoint("tcp")).isEqualTo(new Endpoint("h", 1));
    assertThat(i.endpoint("http2")).isEqualTo(new Endpoint("h", 1));
  }

  @Test
  void idsAreGeneratedAndUnique() {
    ServiceInstance.Builder b = ServiceInstance.builder("s").host("h").port("tcp", 1);
    assertThat(b.build().id()).isNotEqualTo(b.build().id()).matches("[0-9a-f-]{36}");
  }

  @Test
  void invalidInstancesSayWhatIsExpected() {
    assertThatThrownBy(() -> ServiceInstance.builder(" ").host("h").port("tcp", 1).build())
        .hasMessage("service: '' (expected: the service name)");
    assertThatThrownBy(() -> ServiceInstance.builder("s").port("tcp", 1).build())
        .hasMessageStartingWith("host of s: 'null' (expected:");
    assertThatThrownBy(() -> ServiceInstance.builder("s").host("h").build())
        .hasMessage("provider of s at h offers no transport (expected: port(\"tcp\", 7070) or similar)");
    assertThatThrownBy(() -> ServiceInstance.builder("s").host("h").port("tcp", 1).id("a/b").build())
        .hasMessageStartingWith("id: 'a/b' (expected:");
    assertThatThrownBy(() -> ServiceInstance.builder("s").weight(0)).hasMessage("weight: 0 (expected: 1..1000000)");
    assertThatThrownBy(() -> ServiceInstance.builder("s").port("TCP", 1)).hasMessageStartingWith("transport: 'TCP'");
    // consumers need no port
    assertThat(ServiceInstance.builder("s").role(ServiceInstance.Role.CONSUMER).host("h").build().ports()).isEmpty();
  }
}
