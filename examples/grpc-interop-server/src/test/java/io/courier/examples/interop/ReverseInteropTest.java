package io.courier.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.courier.client.RpcClient;
import io.courier.common.CallOptions;
import io.courier.common.Metadata;
import io.courier.common.RpcException;
import io.courier.common.StatusCode;
import io.courier.common.StreamObserver;
import io.courier.transport.http2.Http2Options;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceImpl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The reverse direction: a Courier stub ({@code transport("http2")}, {@code serializer("protobuf")}) calls
 * grpc-java's own interop {@code TestServiceImpl}, served by a stock grpc-java server, for unary calls and every
 * streaming kind, with deadlines and metadata.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReverseInteropTest {

  private static final Metadata.Key<String> ECHO_INITIAL = Metadata.Key.of("x-grpc-test-echo-initial");
  private static final Metadata.Key<byte[]> ECHO_TRAILING = Metadata.Key.binary("x-grpc-test-echo-trailing-bin");

  private ScheduledExecutorService executor;
  private Server grpcServer;
  private RpcClient client;
  private TestService service;

  @BeforeAll
  void start() throws Exception {
    executor = Executors.newScheduledThreadPool(2);
    grpcServer = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .maxInboundMessageSize(InteropServer.MAX_MESSAGE_SIZE)
        .addService(ServerInterceptors.intercept(new TestServiceImpl(executor), TestServiceImpl.interceptors()))
        .build().start();
    client = RpcClient.builder().transport("http2").serializer("protobuf")
        .address("127.0.0.1:" + grpcServer.getPort())
        .option(Http2Options.MAX_INBOUND_MESSAGE_SIZE, InteropServer.MAX_MESSAGE_SIZE)
        .defaultTimeout(Duration.ofSeconds(20)).build();
    service = client.create(TestService.class);
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    grpcServer.shutdown().awaitTermination(10, TimeUnit.SECONDS);
    executor.shutdownNow();
  }

  @Test
  void unaryCalls() {
    assertThat(service.emptyCall(Empty.getDefaultInstance())).isEqualTo(Empty.getDefaultInstance());
    SimpleResponse response = service.unaryCall(SimpleRequest.newBuilder().setResponseSize(314159)
        .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[271828]))).build());
    assertThat(response.getPayload().getBody().size()).isEqualTo(314159);
  }

  @Test
  void compressedRequestsAndResponses() {
    TestService gzip = client.create(TestService.class,
        CallOptions.DEFAULT.with(Http2Options.REQUEST_COMPRESSION, "gzip"));
    SimpleResponse response = gzip.unaryCall(SimpleRequest.newBuilder().setResponseSize(1000)
        .setExpectCompressed(io.grpc.testing.integration.Messages.BoolValue.newBuilder().setValue(true))
        .setResponseCompressed(io.grpc.testing.integration.Messages.BoolValue.newBuilder().setValue(true))
        .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[5000]))).build());
    assertThat(response.getPayload().getBody().size()).isEqualTo(1000);
  }

  @Test
  void metadataTravelsBothWaysAndStatusesMapOneToOne() {
    // grpc-java echoes x-grpc-test-echo-trailing-bin in the trailers (the initial echo is lost in a
    // Trailers-Only error response, and Courier has no API for the response headers of a successful call)
    TestService withHeaders = client.create(TestService.class, CallOptions.DEFAULT
        .withHeader(ECHO_INITIAL, "initial-value")
        .withHeader(ECHO_TRAILING, new byte[] {0, 1, (byte) 0xFE, (byte) 0xFF}));
    SimpleRequest failing = SimpleRequest.newBuilder()
        .setResponseStatus(EchoStatus.newBuilder().setCode(StatusCode.FAILED_PRECONDITION.value())
            .setMessage("wrong state: ✓ \t\r\n%"))
        .build();
    assertThatThrownBy(() -> withHeaders.unaryCall(failing)).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(StatusCode.FAILED_PRECONDITION);
      assertThat(e.status().description()).isEqualTo("wrong state: ✓ \t\r\n%");
      assertThat(e.trailers().get(ECHO_TRAILING)).containsExactly(0, 1, 0xFE, 0xFF);
    });
  }

  @Test
  void deadlineExceeded() {
    TestService impatient = client.create(TestService.class,
        CallOptions.DEFAULT.withTimeout(Duration.ofMillis(100)));
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    impatient.streamingOutputCall(StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(1).setIntervalUs(5_000_000)).build(),
        responses);
    assertThatThrownBy(() -> responses.done.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RpcException.class)
        .cause().satisfies(e -> assertThat(((RpcException) e).code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
  }

  @Test
  void serverStreaming() throws Exception {
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    service.streamingOutputCall(StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(31415))
        .addResponseParameters(ResponseParameters.newBuilder().setSize(9))
        .addResponseParameters(ResponseParameters.newBuilder().setSize(2653))
        .addResponseParameters(ResponseParameters.newBuilder().setSize(58979)).build(), responses);
    responses.done.get(10, TimeUnit.SECONDS);
    assertThat(responses.values).extracting(r -> r.getPayload().getBody().size())
        .containsExactly(31415, 9, 2653, 58979);
  }

  @Test
  void clientStreaming() throws Exception {
    Recorder<StreamingInputCallResponse> response = new Recorder<>();
    StreamObserver<StreamingInputCallRequest> requests = service.streamingInputCall(response);
    for (int size : new int[] {27182, 8, 1828, 45904}) {
      requests.onNext(StreamingInputCallRequest.newBuilder()
          .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size]))).build());
    }
    requests.onCompleted();
    response.done.get(10, TimeUnit.SECONDS);
    assertThat(response.values).extracting(StreamingInputCallResponse::getAggregatedPayloadSize)
        .containsExactly(74922);
  }

  @Test
  void bidirectionalPingPong() throws Exception {
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    StreamObserver<StreamingOutputCallRequest> requests = service.fullDuplexCall(responses);
    int[] sizes = {31415, 9, 2653, 58979};
    for (int i = 0; i < sizes.length; i++) {
      requests.onNext(StreamingOutputCallRequest.newBuilder()
          .addResponseParameters(ResponseParameters.newBuilder().setSize(sizes[i])).build());
      int expected = i + 1;
      io.courier.testing.Polling.await("response " + expected, () -> responses.values.size() == expected);
    }
    requests.onCompleted();
    responses.done.get(10, TimeUnit.SECONDS);
    assertThat(responses.values).extracting(r -> r.getPayload().getBody().size()).containsExactly(31415, 9, 2653,
        58979);
  }

  @Test
  void cancellingABidirectionalCall() {
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    StreamObserver<StreamingOutputCallRequest> requests = service.fullDuplexCall(responses);
    requests.onNext(StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(10)).build());
    io.courier.testing.Polling.await("the first response", () -> !responses.values.isEmpty());
    requests.onError(new IllegalStateException("seen enough"));
    assertThatThrownBy(() -> responses.done.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.CANCELLED));
  }

  /** Collects a stream's messages and completes {@link #done} with its end. */
  static final class Recorder<T> implements StreamObserver<T> {
    final List<T> values = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
      values.add(value);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }
  }
}
