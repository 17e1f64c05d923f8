package io.courier.transport.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.common.RpcException;
import io.courier.common.StatusCode;
import io.courier.transport.TransportOptions;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gRPC client's limits on what a server answers, against a server that writes its answers frame by frame. */
class GrpcClientAnswersTest {

  /**
   * An answer whose length prefix is over the client's {@code MAX_INBOUND_MESSAGE_SIZE} fails the call by that prefix,
   * before a byte of the message is buffered (the server never sends them), and the connection serves the next call.
   */
  @Test
  void anAnswerOverTheLimitIsRefusedByItsLengthPrefix() throws Exception {
    AtomicInteger streams = new AtomicInteger();
    TransportOptions client = TransportOptions.DEFAULT.with(Http2Options.MAX_INBOUND_MESSAGE_SIZE, 1024);
    FakeGrpcServer.run(Http2Settings.defaultSettings(), client, (ctx, stream, connection) -> {
      if (streams.incrementAndGet() == 1) {
        FakeGrpcServer.headers(ctx, stream);
        // an uncompressed message of 1 MiB is announced; not one byte of it follows
        ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.buffer().writeByte(0).writeInt(1 << 20)).stream(stream));
      } else {
        FakeGrpcServer.answer(ctx, stream);
      }
    }, (transport, endpoint) -> {
      CompletableFuture<Object> call = transport.call(endpoint, FakeGrpcServer.echo());
      assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(RpcException.class,
          e -> {
            assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
            assertThat(e.getMessage()).contains("message of 1048576 bytes is over the limit of 1024");
          });
      assertThat(transport.call(endpoint, FakeGrpcServer.echo()).get(10, TimeUnit.SECONDS)).isEqualTo("answered");
      assertThat(transport.pendingCalls()).as("nothing left open").isZero();
    });
  }
}
