package io.courier.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.common.CallOptions;
import io.courier.common.Deadline;
import io.courier.common.Endpoint;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.RpcException;
import io.courier.common.ServiceDescriptor;
import io.courier.common.StatusCode;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.EchoService;
import io.courier.testing.TestInvocations;
import io.courier.transport.ConnectionLostException;
import io.courier.transport.TransportOptions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client end of a connection on an {@link EmbeddedChannel}: what it sends, and how its calls end. */
class TcpConnectionTest {

  private final SerializerSet serializers = SerializerSet.load(TypeAllowlist.withDefaults());
  private final Serializer kryo = serializers.byName("kryo");
  private final MethodDescriptor echo = ServiceDescriptor.of(EchoService.class).method("echo");
  private final TcpConnection connection = new TcpConnection(new Endpoint("127.0.0.1", 7070), serializers,
      TcpSettings.of(TransportOptions.DEFAULT, false, true));
  private final EmbeddedChannel channel = new EmbeddedChannel(
      TcpSettings.of(TransportOptions.DEFAULT, false, true).newDecoder(), connection);

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private CompletableFuture<Object> call(String message) {
    CompletableFuture<Object> result = connection.call(TestInvocations.unary(echo, new Object[] {message},
        CallOptions.DEFAULT, kryo).withDeadline(Deadline.after(Duration.ofMinutes(1))));
    channel.runPendingTasks(); // the write queue drains on the event loop
    return result;
  }

  /** The request frames written so far; each is released. */
  private int requestsSent() {
    int n = 0;
    ByteBuf frame;
    while ((frame = channel.readOutbound()) != null) {
      if (frame.getByte(3) == TcpProtocol.TYPE_REQUEST) {
        n++;
      }
      frame.release();
    }
    return n;
  }

  @Test
  void aCallMadeAfterTheGoAwayOnAConnectionChosenBeforeItIsNotSentAndMayGoElsewhere() {
    CompletableFuture<Object> before = call("before");
    assertThat(requestsSent()).isEqualTo(1);

    channel.writeInbound(TcpFrameWriter.goAway(channel.alloc(), "server shutting down"));
    // A caller that picked this connection while it was usable makes its call only now.
    CompletableFuture<Object> after = call("after");

    assertThat(requestsSent()).as("nothing is sent after the GOAWAY").isZero();
    assertThat(after).isCompletedExceptionally();
    assertThat(after.handle((v, e) -> e).join()).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
      assertThat(ConnectionLostException.isCauseOf(e)).as("it cannot have run, so any method may be retried")
          .isFalse();
      assertThat(e.status().description()).contains("going away; the call was not sent");
    });

    assertThat(channel.isOpen()).as("open while a call is pending").isTrue();
    channel.writeInbound(TcpFrameWriter.response(channel.alloc(), 1, kryo, Metadata.EMPTY, "before", String.class));
    assertThat(before.join()).isEqualTo("before");
    assertThat(channel.isOpen()).as("closed once the pending call is answered").isFalse();
  }

  @Test
  void callsPendingWhenTheConnectionDropsSayTheyMayHaveRun() {
    CompletableFuture<Object> pending = call("pending");
    channel.close();
    assertThat(pending.handle((v, e) -> e).join()).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
      assertThat(ConnectionLostException.isCauseOf(e)).isTrue();
    });
    CompletableFuture<Object> later = call("later");
    assertThat(later.handle((v, e) -> e).join()).isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(ConnectionLostException.isCauseOf(e)).as("never sent").isFalse());
  }
}
