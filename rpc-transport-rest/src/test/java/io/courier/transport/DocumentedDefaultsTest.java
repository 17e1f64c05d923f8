package io.courier.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.server.RpcServer;
import io.courier.transport.http2.Http2Options;
import io.courier.transport.rest.RestOptions;
import io.courier.transport.tcp.TcpOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The defaults docs/security.md's tables promise ("Limits" and "Budgets"), pinned: a default changed in the code
 * fails here until the table says the same. Each limit's behaviour has its own test (named in the table's section).
 */
class DocumentedDefaultsTest {

  @Test
  void tcpLimits() {
    assertThat(TcpOptions.MAX_FRAME_SIZE.defaultValue()).as("8 MiB").isEqualTo(8 << 20);
    assertThat(TcpOptions.MAX_HEADER_SIZE.defaultValue()).as("64 KiB").isEqualTo(64 << 10);
    assertThat(TcpOptions.MAX_METADATA_ENTRIES.defaultValue()).isEqualTo(64);
    assertThat(TcpOptions.MAX_CONCURRENT_CALLS_PER_CONNECTION.defaultValue()).isEqualTo(10_000);
    assertThat(TcpOptions.MAX_CONNECTIONS.defaultValue()).isEqualTo(16_384);
    assertThat(TcpOptions.READ_TIMEOUT.defaultValue()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void http2Limits() {
    assertThat(Http2Options.MAX_INBOUND_MESSAGE_SIZE.defaultValue()).as("4 MiB").isEqualTo(4 << 20);
    assertThat(Http2Options.MAX_HEADER_LIST_SIZE.defaultValue()).as("8 KiB").isEqualTo(8 << 10);
    assertThat(Http2Options.MAX_CONCURRENT_STREAMS.defaultValue()).isEqualTo(1_000);
    assertThat(Http2Options.MAX_CONNECTIONS.defaultValue()).isEqualTo(16_384);
    assertThat(Http2Options.READ_TIMEOUT.defaultValue()).isEqualTo(Duration.ofSeconds(30));
    assertThat(Http2Options.PERMIT_KEEPALIVE_TIME.defaultValue()).isEqualTo(Duration.ofMinutes(5));
    assertThat(Http2Options.PERMIT_KEEPALIVE_WITHOUT_CALLS.defaultValue()).as("also without calls").isTrue();
  }

  @Test
  void restLimits() {
    assertThat(RestOptions.MAX_BODY_SIZE.defaultValue()).as("4 MiB").isEqualTo(4 << 20);
    assertThat(RestOptions.MAX_CONNECTIONS.defaultValue()).isEqualTo(16_384);
    assertThat(RestOptions.READ_TIMEOUT.defaultValue()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void serverWorkersAndBudgets() {
    assertThat(RpcServer.DEFAULT_WORKER_THREADS).isEqualTo(200);
    assertThat(RpcServer.DEFAULT_WORKER_QUEUE).isEqualTo(1_024);
    assertThat(RpcServer.DEFAULT_MAX_BUFFERED_BYTES).as("a quarter of the heap, at most 1 GiB")
        .isEqualTo(Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4));
    assertThat(RpcServer.DEFAULT_MAX_BUFFERED_BYTES_PER_CONNECTION).as("64 MiB").isEqualTo(64L << 20);
  }
}
