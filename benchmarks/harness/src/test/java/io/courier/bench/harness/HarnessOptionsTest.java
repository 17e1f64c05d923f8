package io.courier.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.bench.driver.Workload;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HarnessOptionsTest {

  @Test
  void quickModeRunsTheHeadlineSystemsIncludingThrift() {
    HarnessOptions o = HarnessOptions.parse("--quick");
    assertThat(o.mode()).isEqualTo("quick");
    assertThat(o.systems()).extracting(SystemUnderTest::name).contains("courier-tcp-kryo", "dubbo-kryo",
        "dubbo-hessian2", "courier-tcp-hessian", "courier-http2-protobuf", "grpc-java", "spring-rest", "thrift",
        "netty-kryo").doesNotContain("grpc-java-defaults", "dubbo-triple-protobuf");
    assertThat(o.workloads()).containsExactly(Workload.EXIST_USER, Workload.LIST_USER); // the headline workloads
    assertThat(o.step()).isPositive(); // cells warm up until steady
    assertThat(o.jvmWarmup()).isPositive(); // every JVM is warmed on all its workloads first
    assertThat(o.jvmWarmupRounds()).isEqualTo(4); // in rounds, until the JIT is quiet and two agree
    assertThat(HarnessOptions.parse("--smoke").workloads()).containsExactly(Workload.values());
    assertThat(o.reference()).isEqualTo("courier-tcp-kryo");
    assertThat(o.registry()).isEqualTo("zookeeper"); // discovery through the embedded ZooKeeper by default
    assertThat(HarnessOptions.parse("--quick", "--registry", "direct").registry()).isEqualTo("direct");
  }

  @Test
  void fullModeWarmsEachCellUntilFiveSecondsAreSteadyAtThreeConcurrencies() {
    HarnessOptions o = HarnessOptions.parse();
    assertThat(o.mode()).isEqualTo("full");
    assertThat(o.jvmWarmupRounds()).isEqualTo(1); // one fixed JVM warm-up: its cells warm until steady
    assertThat(o.step()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.warmupCap()).isGreaterThan(o.warmup());
    assertThat(o.concurrencies()).containsExactly(1, 16, 64);
    assertThat(o.rateFractions()).containsExactly(0.25, 0.5, 0.75);
    assertThat(o.commonRate()).isNegative(); // derived after round 1
    assertThat(o.rounds()).isGreaterThanOrEqualTo(3);
    assertThat(o.systems()).extracting(SystemUnderTest::name).contains("grpc-java-defaults", "spring-rest-jdk",
        "cross-courier-to-spring", "cross-jdk-to-courier").doesNotContain("dubbo-triple-protobuf");
    SystemUnderTest context = SystemCatalog.byName("grpc-java-defaults");
    assertThat(o.fullCoverage(context)).isFalse();
    assertThat(HarnessOptions.parse("--systems", "grpc-java-defaults").fullCoverage(context)).isTrue();
  }

  @Test
  void aRunIsResumedWithItsOwnOptions(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    HarnessOptions first = HarnessOptions.parse("--quick", "--systems", "grpc-java", "--out", dir.toString());
    java.nio.file.Files.writeString(dir.resolve(HarnessOptions.ARGUMENTS_FILE),
        String.join("\n", first.arguments()));
    HarnessOptions resumed = HarnessOptions.parse("--resume", dir.toString());
    assertThat(resumed.resume()).isTrue();
    assertThat(resumed.seed()).isEqualTo(first.seed()); // the same shuffles
    assertThat(resumed.systems()).isEqualTo(first.systems());
    assertThat(resumed.outputDir()).isEqualTo(dir);
    assertThatThrownBy(() -> HarnessOptions.parse("--resume", dir.resolve("nothing").toString()))
        .hasMessageContaining(HarnessOptions.ARGUMENTS_FILE);
    // the run's own options are the ones it continues with: another on the command line is refused, not ignored
    assertThatThrownBy(() -> HarnessOptions.parse("--resume", dir.toString(), "--rounds", "5"))
        .hasMessageContaining("--resume takes the folder of a run, and nothing else");

    HarnessOptions report = HarnessOptions.parse("--report", dir.toString());
    assertThat(report.reportOnly()).isTrue();
    assertThat(report.seed()).isEqualTo(first.seed());
    assertThat(report.outputDir()).isEqualTo(dir);
    assertThat(resumed.reportOnly()).isFalse();
    assertThatThrownBy(() -> HarnessOptions.parse("--report")).hasMessageContaining("--report takes the folder");
  }

  @Test
  void optionsOverrideThePreset() {
    HarnessOptions o = HarnessOptions.parse("--quick", "--systems", "grpc-java,courier-tcp-kryo", "--workloads",
        "getUser", "--concurrency", "1,64", "--common-rate", "200", "--warmup", "500ms", "--measure", "2s",
        "--rounds", "3", "--seed", "7", "--no-pin");
    assertThat(o.systems()).extracting(SystemUnderTest::name).containsExactly("courier-tcp-kryo", "grpc-java");
    assertThat(o.workloads()).containsExactly(Workload.GET_USER);
    assertThat(o.concurrencies()).containsExactly(1, 64);
    assertThat(o.commonRate()).isEqualTo(200.0);
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
    List<String> modules = SystemCatalog.all().stream().map(SystemUnderTest::serverModule).distinct().toList();
    assertThat(modules).containsExactlyInAnyOrder("courier", "dubbo", "grpc", "spring", "thrift", "limits");
  }

  @Test
  void jvmWarmupRoundsAreAtLeastOne() {
    assertThat(HarnessOptions.parse("--quick", "--jvm-warmup-rounds", "5").jvmWarmupRounds()).isEqualTo(5);
    assertThatThrownBy(() -> HarnessOptions.parse("--jvm-warmup-rounds", "0"))
        .hasMessageContaining("--jvm-warmup-rounds: 0 (expected: >= 1)");
  }
}
