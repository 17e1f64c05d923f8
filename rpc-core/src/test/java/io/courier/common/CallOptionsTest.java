package io.courier.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallOptionsTest {

  private static final CallOptions.Key<String> ZONE = CallOptions.Key.of("zone", "default-zone");
  private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token");

  @Test
  void typedKeysWithDefaultsAndCopies() {
    CallOptions base = CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(1)).with(ZONE, "eu");
    assertThat(CallOptions.DEFAULT.get(ZONE)).isEqualTo("default-zone");
    assertThat(base.get(ZONE)).isEqualTo("eu");
    assertThat(base.with(ZONE, null).get(ZONE)).isEqualTo("default-zone");
    assertThat(base.with(ZONE, "us").get(ZONE)).isEqualTo("us");
    assertThat(base.get(ZONE)).isEqualTo("eu");
  }

  @Test
  void mergeLetsOverridesWinAndConcatenatesHeaders() {
    CallOptions base = CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(1)).withSerializer("kryo")
        .withHeader(TOKEN, "a").with(ZONE, "eu");
    CallOptions merged = base.mergedWith(CallOptions.DEFAULT.withTimeout(Duration.ofMillis(5))
        .withHeader(TOKEN, "b"));
    assertThat(merged.timeout()).isEqualTo(Duration.ofMillis(5));
    assertThat(merged.serializer()).isEqualTo("kryo");
    assertThat(merged.headers().getAll(TOKEN)).containsExactly("a", "b");
    assertThat(merged.get(ZONE)).isEqualTo("eu");
  }

  @Test
  void rejectsNonPositiveTimeouts() {
    assertThatThrownBy(() -> CallOptions.DEFAULT.withTimeout(Duration.ZERO))
        .hasMessage("timeout: PT0S (expected: > 0)");
  }
}
