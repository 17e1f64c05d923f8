package io.courier.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.bench.driver.Workload;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HarnessOptionsTest {

  @Test
  void quickModeIsShortAndMeasuresEverySystem() {
    HarnessOptions o = HarnessOptions.parse("--quick");
    assertThat(o.mode()).isEqualTo("quick");
    assertThat(o.systems()).hasSameSizeAs(SystemCatalog.all());
    assertThat(o.workloads()).containsExactly(Workload.values());
    assertThat(o.rounds()).isGreaterThanOrEqualTo(2);
    assertThat(o.reference()).isEqualTo("courier-tcp-kryo");
    assertThat(o.registry()).isEqualTo("zookeeper"); // discovery through the embedded ZooKeeper by default
    assertThat(HarnessOptions.parse("--quick", "--registry", "direct").registry()).isEqualTo("direct");
  }

  @Test
  void fullModeWarmsUpForFifteenSecondsAtThreeConcurrencies() {
    HarnessOptions o = HarnessOptions.parse();
    assertThat(o.mode()).isEqualTo("full");
    assertThat(o.warmup()).isGreaterThanOrEqualTo(Duration.ofSeconds(15));
    assertThat(o.concurrencies()).containsExactly(1, 16, 64);
    assertThat(o.rateFractions()).containsExactly(0.25, 0.5, 0.75);
  }

  @Test
  void optionsOverrideThePreset() {
    HarnessOptions o = HarnessOptions.parse("--quick", "--systems", "grpc-java,courier-tcp-kryo", "--workloads",
        "getUser", "--concurrency", "1,64", "--rates", "100,200", "--warmup", "500ms", "--measure", "2s",
        "--rounds", "3", "--seed", "7", "--no-pin");
    assertThat(o.systems()).extracting(SystemUnderTest::name).containsExactly("courier-tcp-kryo", "grpc-java");
    assertThat(o.workloads()).containsExactly(Workload.GET_USER);
    assertThat(o.concurrencies()).containsExactly(1, 64);
    assertThat(o.rates()).containsExactly(100.0, 200.0);
    assertThat(o.warmup()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.measure()).isEqualTo(Duration.ofSeconds(2));
    assertThat(o.rounds()).isEqualTo(3);
    assertThat(o.seed()).isEqualTo(7);
    assertThat(o.pin()).isFalse();
  }

  @Test
  void aReferenceThatDoesNotRunFallsBackToTheFirstSystem() {
    assertThat(HarnessOptions.parse("--systems", "grpc-java").reference()).isEqualTo("grpc-java");
  }

  @Test
  void mistakesSayWhatIsExpected() {
    assertThatThrownBy(() -> HarnessOptions.parse("--systems", "avro"))
        .hasMessageContaining("system: avro").hasMessageContaining("courier-tcp-kryo");
    assertThatThrownBy(() -> HarnessOptions.parse("--workloads", "getUsers")).hasMessageContaining("getUser");
    assertThatThrownBy(() -> HarnessOptions.parse("--warmup", "soon")).hasMessageContaining("15s");
    assertThatThrownBy(() -> HarnessOptions.parse("--registry", "etcd")).hasMessageContaining("expected: zookeeper");
    assertThatThrownBy(() -> HarnessOptions.parse("--bogus")).hasMessageContaining("--bogus");
  }

  @Test
  void everySystemHasAJarModule() {
    List<String> modules = SystemCatalog.all().stream().map(SystemUnderTest::module).distinct().toList();
    assertThat(modules).containsExactlyInAnyOrder("courier", "dubbo", "grpc", "spring", "thrift", "limits");
  }
}
