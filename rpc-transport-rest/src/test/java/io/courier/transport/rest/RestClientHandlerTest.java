package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.Invocation;
import io.courier.common.CallOptions;
import io.courier.common.Endpoint;
import io.courier.common.RpcException;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.TestInvocations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 client handler on an {@link EmbeddedChannel}: which connections go back to the pool, and when. */
class RestClientHandlerTest {

  private static final Endpoint ENDPOINT = new Endpoint("127.0.0.1", 9);
  private final SerializerSet serializers = SerializerSet.load(TypeAllowlist.withDefaults()
      .allowType(UserResource.User.class));
  private final RestCodec codec = RestCodec.of(serializers);
  private final List<RestClientHandler> released = new ArrayList<>();
  private final List<RestClientCall> redispatched = new ArrayList<>();
  private final RestClientHandler handler = new RestClientHandler(ENDPOINT, released::add, redispatched::add);
  private final EmbeddedChannel channel = new EmbeddedChannel(handler);

  @Test
  void aKeepAliveResponseReleasesTheConnection() throws Exception {
    RestClientCall call = call();
    handler.start(call);
    releaseWritten();
    channel.writeInbound(jsonResponse());
    assertThat(call.result().get(1, TimeUnit.SECONDS)).isEqualTo(new UserResource.User(7, "u", null, List.of()));
    assertThat(released).containsExactly(handler);
    assertThat(channel.isActive()).isTrue();
  }

  @Test
  void aResponseToACancelledCallClosesTheConnectionInsteadOfReleasingIt() {
    // the deadline passed on the client while the server's own deadline answer was on its way: the cancelled
    // call is closing this connection (the close is still queued: held here), so the connection must not reach
    // the pool, where the next call would find it closed under it
    List<String> closes = new ArrayList<>();
    RestClientHandler own = new RestClientHandler(ENDPOINT, released::add, redispatched::add);
    EmbeddedChannel held = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
      @Override
      public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        closes.add("close");
        promise.setSuccess();
      }
    }, own);
    Invocation invocation = invocation("get", 7L);
    RestClientCall call = new RestClientCall(invocation, codec, ENDPOINT, ByteBufAllocator.DEFAULT);
    own.start(call);
    FullHttpRequest request = held.readOutbound();
    request.release();
    invocation.cancel(Status.DEADLINE_EXCEEDED.withDescription("test deadline"));
    assertThat(closes).hasSize(1); // the cancel's close, held
    held.writeInbound(jsonResponse());
    assertThat(released).isEmpty();
    assertThat(closes).hasSize(2); // and the handler's own
    assertThatThrownBy(() -> call.result().join()).cause().isInstanceOfSatisfying(RpcException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
  }

  @Test
  void aOneWayCallsConnectionGoesBackToThePoolAfterTheAnswer() {
    RestClientCall call = new RestClientCall(invocation("notify", "event"), codec, ENDPOINT,
        ByteBufAllocator.DEFAULT);
    handler.start(call);
    releaseWritten();
    assertThat(call.result()).isCompletedWithValue(null); // finished once written
    channel.writeInbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
    assertThat(released).containsExactly(handler);
    assertThat(channel.isActive()).isTrue();
  }

  @Test
  void aCallGivenAConnectionThatClosedMeanwhileGoesToAnotherOneAFewTimesThenFails() {
    channel.close();
    RestClientCall call = call();
    for (int i = 0; i < 3; i++) {
      handler.start(call);
    }
    assertThat(redispatched).hasSize(3).containsOnly(call);
    assertThat(call.isFinished()).isFalse();

    handler.start(call); // a server that closes every connection: the call fails rather than spinning
    assertThat(redispatched).hasSize(3);
    assertThat(call.result()).isCompletedExceptionally();
    assertThatThrownBy(() -> call.result().join()).cause().isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
      assertThat(e.getMessage()).contains("closed before").contains("was sent");
    });
  }

  @Test
  void aMalformedResponseFailsTheCallAndClosesTheConnectionInsteadOfReleasingIt() {
    // behind the client's real decoders: a chunked answer whose chunk size is no number
    RestClientHandler own = new RestClientHandler(ENDPOINT, released::add, redispatched::add);
    EmbeddedChannel wire = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), own);
    RestClientCall call = call();
    own.start(call);
    ByteBuf request = wire.readOutbound();
    request.release();
    wire.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
        + "transfer-encoding: chunked\r\n\r\n5\r\n{\"id\"\r\nzz\r\n:7}\r\n0\r\n\r\n", StandardCharsets.US_ASCII));

    assertThat(call.result()).isCompletedExceptionally();
    assertThatThrownBy(() -> call.result().join()).cause().isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
      assertThat(e.getMessage()).contains("the response from " + ENDPOINT + " is malformed");
    });
    assertThat(released).isEmpty();
    assertThat(wire.isActive()).isFalse();
  }

  private RestClientCall call() {
    return new RestClientCall(invocation("get", 7L), codec, ENDPOINT, ByteBufAllocator.DEFAULT);
  }

  private Invocation invocation(String method, Object argument) {
    return TestInvocations.unary(ServiceDescriptor.of(UserResource.class).method(method), new Object[] {argument},
        CallOptions.DEFAULT, serializers.byName("json"));
  }

  private void releaseWritten() {
    FullHttpRequest request = channel.readOutbound();
    assertThat(request).isNotNull();
    request.release();
  }

  private static DefaultFullHttpResponse jsonResponse() {
    DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.copiedBuffer("{\"id\":7,\"name\":\"u\",\"tags\":[]}", StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    return response;
  }
}
