package io.courier.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionLimitTest {

  @Test
  void countsUntilCloseAndClosesWhatIsOverTheLimit() {
    ConnectionLimit limit = new ConnectionLimit(2, "TestOptions.MAX");
    AtomicInteger closed = new AtomicInteger();
    EmbeddedChannel first = new EmbeddedChannel();
    EmbeddedChannel second = new EmbeddedChannel();
    assertThat(limit.admit(first, closed::incrementAndGet)).isTrue();
    assertThat(limit.admit(second, closed::incrementAndGet)).isTrue();
    assertThat(limit.open()).isEqualTo(2);

    for (int i = 0; i < 5; i++) { // refusals, logged once
      EmbeddedChannel over = new EmbeddedChannel();
      assertThat(limit.admit(over, closed::incrementAndGet)).isFalse();
      assertThat(over.isOpen()).isFalse();
    }
    assertThat(limit.open()).isEqualTo(2);
    assertThat(closed).hasValue(0); // a refused connection was never counted, so nothing runs for it

    first.close();
    assertThat(closed).hasValue(1);
    assertThat(limit.open()).isEqualTo(1);
    EmbeddedChannel third = new EmbeddedChannel();
    assertThat(limit.admit(third, closed::incrementAndGet)).isTrue();
    assertThat(third.isOpen()).isTrue();
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> new ConnectionLimit(0, "TestOptions.MAX"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TestOptions.MAX");
  }
}
