package io.courier.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryAddressTest {

  @Test
  void parsesEveryPart() {
    RegistryAddress a = RegistryAddress.parse(
        " ZooKeeper://10.0.0.2:2181, 10.0.0.3:2181/courier/prod/?connectTimeout=2s&snapshot=%2Ftmp%2Fs.json&flag ");
    assertThat(a.scheme()).isEqualTo("zookeeper");
    assertThat(a.hosts()).containsExactly("10.0.0.2:2181", "10.0.0.3:2181");
    assertThat(a.path()).isEqualTo("/courier/prod");
    assertThat(a.parameters()).containsEntry("snapshot", "/tmp/s.json").containsEntry("flag", "");
    assertThat(a.duration("connectTimeout", Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
    assertThat(a.duration("sessionTimeout", Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aBareSchemeIsAnAddress() {
    RegistryAddress a = RegistryAddress.parse("embedded");
    assertThat(a.scheme()).isEqualTo("embedded");
    assertThat(a.hosts()).isEmpty();
    assertThat(a.path()).isEmpty();
    assertThat(RegistryAddress.parse("embedded?connectTimeout=500").duration("connectTimeout", null))
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void durationsTakeUnits() {
    RegistryAddress a = RegistryAddress.parse("static://h:1?a=250ms&b=3m&c=1h&d=soon");
    assertThat(a.duration("a", null)).isEqualTo(Duration.ofMillis(250));
    assertThat(a.duration("b", null)).isEqualTo(Duration.ofMinutes(3));
    assertThat(a.duration("c", null)).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> a.duration("d", null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("d: soon (expected: a duration such as 500ms, 5s or 2m");
  }

  @Test
  void secretsWrittenIntoAnAddressAreMaskedWhereItIsShownButReferencesAreNot() {
    RegistryAddress a = RegistryAddress.parse(
        "zookeeper://h:2181/courier?credentials=alice:s3cret&connectTimeout=2s&zkPassword=hunter2&token=");
    assertThat(a.parameter("credentials", null)).isEqualTo("alice:s3cret"); // the factory still reads it (and refuses)
    assertThat(a.toString()).isEqualTo(
        "zookeeper://h:2181/courier?credentials=****&connectTimeout=2s&zkPassword=****&token=");
    assertThat(RegistryAddress.parse("zookeeper://h:2181?auth=digest&credentials=file:/etc/zk.digest").toString())
        .endsWith("credentials=file:/etc/zk.digest");
    assertThat(RegistryAddress.parse("zookeeper://h:2181?credentials=env:ZK_DIGEST").toString())
        .endsWith("credentials=env:ZK_DIGEST");
    assertThatThrownBy(() -> RegistryAddress.parse("1zk://h:1?password=s3cret")).hasMessageNotContaining("s3cret");
  }

  @Test
  void malformedAddressesNameTheExpectedForms() {
    assertThatThrownBy(() -> RegistryAddress.parse("  ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("it is empty").hasMessageContaining("zookeeper://host:port");
    assertThatThrownBy(() -> RegistryAddress.parse("1zk://h:1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'1zk' is not a scheme");
  }
}
