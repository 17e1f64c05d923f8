package io.courier.transport.rest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.courier.common.RpcService;
import io.courier.common.ServiceDescriptor;
import io.courier.internal.server.ConnectionPolicy;
import io.courier.internal.server.ServerDispatcher;
import io.courier.rest.PathParam;
import io.courier.rest.QueryParam;
import io.courier.rest.RestRoute;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.server.ServiceOptions;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the REST request path: HTTP/1.1 parsing, routing, path and query conversion and JSON
 * body decoding, end to end through {@link RestHttp1Handler} and the real dispatcher on an {@code EmbeddedChannel}.
 * Whatever arrives, the server must answer with a success or a client error (400, 404, 405, 413, 414, 415, 431) —
 * never a 500, which would mean a decoding failure escaped as an internal error — and release every buffer.
 *
 * <p>Input: the first byte picks the route, the second the content type; up to the first newline is appended to the
 * route's path (path segments, query string); the rest is the body. The build replays the inputs under
 * {@code src/test/resources/.../RestRequestFuzzTestInputs} and fuzzes briefly; {@code -Pfuzz-long} for minutes.
 */
class RestRequestFuzzTest {

  /** The service under fuzz: every kind of parameter source and a few JSON shapes. */
  @RpcService(name = "fuzz.Target")
  public interface Target {
    UserResource.User create(UserResource.User user);

    int sum(int[] values);

    String greet(String first, String last);

    Map<String, Long> count(List<String> words);

    @RestRoute(method = "GET", path = "/users/{id}")
    String get(@PathParam("id") long id, @QueryParam("tag") List<Integer> tags, @QueryParam("since") LocalDate since,
        @QueryParam("kind") UserResource.Kind kind);

    @RestRoute(method = "PUT", path = "/users/{id}/name")
    String rename(@PathParam("id") String id, String name);
  }

  static final class Impl implements Target {
    @Override
    public UserResource.User create(UserResource.User user) {
      return user;
    }

    @Override
    public int sum(int[] values) {
      return values == null ? -1 : values.length;
    }

    @Override
    public String greet(String first, String last) {
      return first + last;
    }

    @Override
    public Map<String, Long> count(List<String> words) {
      return Map.of("n", words == null ? -1L : words.size());
    }

    @Override
    public String get(long id, List<Integer> tags, LocalDate since, UserResource.Kind kind) {
      return id + " " + tags + " " + since + " " + kind;
    }

    @Override
    public String rename(String id, String name) {
      return id + "=" + name;
    }
  }

  private static final String[][] ROUTES = {
      {"POST", "/fuzz.Target/create"}, {"POST", "/fuzz.Target/sum"}, {"POST", "/fuzz.Target/greet"},
      {"POST", "/fuzz.Target/count"}, {"GET", "/users/"}, {"PUT", "/users/"}, {"DELETE", "/"}, {"POST", "/x/y"}};
  private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
      "application/x-protobuf", "text/plain", null};
  private static final Set<Integer> EXPECTED = Set.of(200, 204, 400, 404, 405, 413, 414, 415, 431);

  private static final RestServer SERVER;

  static {
    HashedWheelTimer timer = new HashedWheelTimer(new DefaultThreadFactory("fuzz-timer", true));
    ServerDispatcher dispatcher = new ServerDispatcher(List.of(new ServerDispatcher.Export(
        ServiceDescriptor.of(Target.class), new Impl(), ServiceOptions.DEFAULT.onIoThread())), List.of(),
        Runnable::run, "the fuzz thread", timer, ConnectionPolicy.UNLIMITED);
    TypeAllowlist allowlist = TypeAllowlist.withDefaults();
    for (var method : ServiceDescriptor.of(Target.class).methods()) {
      for (var type : method.requestTypes()) {
        allowlist.allowType(type);
      }
      allowlist.allowType(method.responseType());
    }
    SERVER = RestServer.create(dispatcher, new TransportContext(SerializerSet.load(allowlist),
        TransportOptions.DEFAULT.with(RestOptions.MAX_BODY_SIZE, 4096), timer));
  }

  @FuzzTest(maxDuration = "10s")
  void anyRequestGetsASuccessOrAClientError(byte[] input) {
    if (input.length < 2) {
      return;
    }
    String[] route = ROUTES[(input[0] & 0xFF) % ROUTES.length];
    String contentType = CONTENT_TYPES[(input[1] & 0xFF) % CONTENT_TYPES.length];
    int newline = 2;
    while (newline < input.length && input[newline] != '\n') {
      newline++;
    }
    String suffix = new String(input, 2, newline - 2, StandardCharsets.ISO_8859_1);
    int bodyStart = Math.min(input.length, newline + 1);
    int bodyLength = input.length - bodyStart;
    StringBuilder head = new StringBuilder(route[0]).append(' ').append(route[1]).append(suffix)
        .append(" HTTP/1.1\r\nHost: fuzz\r\n");
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    head.append("Content-Length: ").append(bodyLength).append("\r\n\r\n");

    RequestReadDeadline deadline = new RequestReadDeadline(30_000);
    EmbeddedChannel channel = new EmbeddedChannel(deadline, new HttpServerCodec(),
        new RestHttp1Handler(SERVER, deadline));
    try {
      channel.writeInbound(Unpooled.wrappedBuffer(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1),
          Unpooled.wrappedBuffer(input, bodyStart, bodyLength)));
      channel.runPendingTasks();
      ByteBuf response = readAll(channel);
      try {
        if (response.isReadable()) {
          String text = response.toString(StandardCharsets.ISO_8859_1);
          int status = Integer.parseInt(text.substring(9, 12));
          if (!EXPECTED.contains(status)) {
            throw new AssertionError("status " + status + " for " + route[0] + " " + route[1] + suffix + ":\n" + text);
          }
        }
      } finally {
        response.release();
      }
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  private static ByteBuf readAll(EmbeddedChannel channel) {
    ByteBuf all = Unpooled.buffer();
    Object out;
    while ((out = channel.readOutbound()) != null) {
      if (out instanceof ByteBuf b) {
        all.writeBytes(b);
        b.release();
      } else {
        io.netty.util.ReferenceCountUtil.release(out);
      }
    }
    return all;
  }
}
