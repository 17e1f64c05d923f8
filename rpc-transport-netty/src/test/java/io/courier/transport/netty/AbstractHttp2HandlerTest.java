package io.courier.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AbstractHttp2HandlerTest {

  @Test
  void theFrameLogIsOnlyOnWhenAskedFor() {
    String before = System.getProperty("courier.http2.frameLog");
    try {
      System.clearProperty("courier.http2.frameLog");
      assertThat(AbstractHttp2Handler.frameLogger("client")).isNull();
      System.setProperty("courier.http2.frameLog", "true");
      assertThat(AbstractHttp2Handler.frameLogger("server")).isNotNull();
    } finally {
      if (before == null) {
        System.clearProperty("courier.http2.frameLog");
      } else {
        System.setProperty("courier.http2.frameLog", before);
      }
    }
  }
}
