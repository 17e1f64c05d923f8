package io.courier.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.auth.BearerAuth;
import io.courier.client.RpcClient;
import io.courier.common.Metadata;
import io.courier.common.RpcException;
import io.courier.common.StatusCode;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.server.RpcServer;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.testing.Polling;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a TCP server holds for a peer before and after it is admitted: a request is decided on its header section —
 * refused before a byte of its body is sent — a frame must arrive whole within the read timeout, and request bytes
 * held for calls stay within the connection's budget.
 */
class TcpAdmissionTest {

  private final EchoServiceImpl echo = new EchoServiceImpl();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Serializer kryo = SerializerSet.load(TypeAllowlist.withDefaults()).byName("kryo");

  @AfterEach
  void closeAll() throws Exception {
    echo.wake.get().countDown();
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private RpcServer server(RpcServer.Builder builder) {
    RpcServer server = builder.host("127.0.0.1").port(0).service(EchoService.class, echo).build().start();
    resources.add(server);
    return server;
  }

  /** A REQUEST for {@code bytes(byte[])} whose body is {@code bodySize} bytes; the frame's bytes. */
  private byte[] request(long id, int bodySize, Metadata headers) {
    ByteBuf frame = TcpFrameWriter.request(ByteBufAllocator.DEFAULT, id, false, kryo, "courier.testing.EchoService",
        "bytes", 0, headers, new Object[] {new byte[bodySize]}, new Type[] {byte[].class});
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }

  private static int headerEnd(byte[] frame) {
    return TcpProtocol.PREFIX_LENGTH + (int) ((frame[16] & 0xffL) << 24 | (frame[17] & 0xff) << 16
        | (frame[18] & 0xff) << 8 | frame[19] & 0xff);
  }

  /** Reads one frame's prefix; returns {type, status code}. */
  private static int[] readPrefix(Socket socket) throws IOException {
    byte[] prefix = socket.getInputStream().readNBytes(TcpProtocol.PREFIX_LENGTH);
    assertThat(prefix).as("a frame from the server").hasSize(TcpProtocol.PREFIX_LENGTH);
    int headerLength = (prefix[16] & 0xff) << 24 | (prefix[17] & 0xff) << 16 | (prefix[18] & 0xff) << 8
        | prefix[19] & 0xff;
    int bodyLength = (prefix[20] & 0xff) << 24 | (prefix[21] & 0xff) << 16 | (prefix[22] & 0xff) << 8
        | prefix[23] & 0xff;
    socket.getInputStream().readNBytes(headerLength + bodyLength);
    return new int[] {prefix[3], prefix[6]};
  }

  @Test
  void anUnauthenticatedRequestIsRefusedBeforeItsBodyIsSent() throws Exception {
    RpcServer server = server(RpcServer.builder()
        .interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of("t0ken", "caller")))));
    byte[] frame = request(1, 1024 * 1024, Metadata.EMPTY);
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(frame, 0, headerEnd(frame)); // the header section, not one byte of the body
      int[] answer = readPrefix(socket);
      assertThat(answer[0]).isEqualTo(TcpProtocol.TYPE_RESPONSE);
      assertThat(answer[1]).isEqualTo(StatusCode.UNAUTHENTICATED.value());
      // the body that follows is skipped, not kept, and the connection goes on
      socket.getOutputStream().write(frame, headerEnd(frame), frame.length - headerEnd(frame));
      byte[] second = request(2, 16, Metadata.EMPTY);
      socket.getOutputStream().write(second);
      assertThat(readPrefix(socket)[1]).isEqualTo(StatusCode.UNAUTHENTICATED.value());
    }
  }

  @Test
  void twoAuthorizationHeadersAreRefusedEvenIfOneIsValid() throws Exception {
    RpcServer server = server(RpcServer.builder()
        .interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of("t0ken", "caller")))));
    Metadata two = Metadata.builder().add("authorization", "Bearer t0ken").add("authorization", "Bearer other")
        .build();
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request(1, 16, two));
      assertThat(readPrefix(socket)[1]).isEqualTo(StatusCode.UNAUTHENTICATED.value());
      socket.getOutputStream().write(request(2, 16, Metadata.builder().add("authorization", "Bearer t0ken")
          .build()));
      assertThat(readPrefix(socket)[1]).as("one valid header is served").isEqualTo(StatusCode.OK.value());
    }
  }

  @Test
  void aFrameThatDoesNotArriveWholeWithinTheReadTimeoutClosesTheConnection() throws Exception {
    RpcServer server = server(RpcServer.builder().option(TcpOptions.READ_TIMEOUT, Duration.ofMillis(300)));
    EchoService stub = client(server.port()).create(EchoService.class);
    byte[] frame = request(1, 64, Metadata.EMPTY);
    try (Socket slow = new Socket("127.0.0.1", server.port())) {
      long start = System.nanoTime();
      slow.getOutputStream().write(frame, 0, 10); // a frame begun, and trickled no further
      slow.setSoTimeout(10_000);
      InputStream in = slow.getInputStream();
      try {
        assertThat(in.read()).as("closed without an answer").isEqualTo(-1);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server kept a half-sent frame for 10 s", e);
      } catch (IOException reset) {
        // a reset is a close too
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
      assertThat(stub.echo("others are served")).isEqualTo("others are served");
    }
  }

  @Test
  void requestBytesHeldForCallsStayWithinTheConnectionsBudget() throws Exception {
    // one worker, taken by a sleeping call: every later call waits with its body held
    RpcServer server = server(RpcServer.builder().workerThreads(1).maxBufferedBytes(1 << 20, 100 * 1024));
    RpcClient client = client(server.port());
    EchoService stub = client.create(EchoService.class);
    CompletableFuture<String> sleeping = CompletableFuture.supplyAsync(() -> stub.sleep(30_000));
    Polling.await("the worker taken", () -> !echo.sleepers.isEmpty());

    List<CompletableFuture<byte[]>> waiting = new ArrayList<>();
    for (int i = 0; i < 4; i++) { // 4 x 40 KiB: the third no longer fits 100 KiB
      byte[] payload = new byte[40 * 1024];
      waiting.add(CompletableFuture.supplyAsync(() -> stub.bytes(payload)));
    }
    List<Throwable> refused = new ArrayList<>();
    Polling.await("two calls refused", () -> waiting.stream().filter(CompletableFuture::isCompletedExceptionally)
        .count() == 2);
    for (CompletableFuture<byte[]> call : waiting) {
      if (call.isCompletedExceptionally()) {
        assertThatThrownBy(call::get).isInstanceOf(ExecutionException.class).cause()
            .isInstanceOfSatisfying(RpcException.class, e -> {
              assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
              assertThat(e.getMessage()).contains("request budget");
              refused.add(e);
            });
      }
    }
    assertThat(refused).hasSize(2);

    echo.wake.get().countDown(); // the worker is free: the held calls run and their bytes are given back
    assertThat(sleeping.get(10, TimeUnit.SECONDS)).isNotNull();
    for (CompletableFuture<byte[]> call : waiting) {
      if (!call.isCompletedExceptionally()) {
        assertThat(call.get(10, TimeUnit.SECONDS)).hasSize(40 * 1024);
      }
    }
    for (int i = 0; i < 3; i++) { // nothing leaked: the budget holds two again, and more in turn
      assertThat(stub.bytes(new byte[40 * 1024])).hasSize(40 * 1024);
    }
  }

  private RpcClient client(int port) {
    RpcClient client = RpcClient.builder().address("127.0.0.1:" + port).serializer("kryo").build();
    resources.add(client);
    return client;
  }
}
