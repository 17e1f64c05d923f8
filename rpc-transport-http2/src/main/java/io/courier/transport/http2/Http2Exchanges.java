package io.courier.transport.http2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import java.time.Duration;
import java.util.function.Function;

/**
 * HTTP/2 connections that serve plain HTTP requests, each as an {@link HttpExchange}, from one connection-level
 * handler (the connection gRPC uses, with the HTTP exchange as its only stream acceptor), rather than a Netty child
 * channel and pipeline per stream. The {@code rest}
 * transport's own port serves h2 this way. Not API: {@code io.courier.transport.rest} is its only user.
 */
public final class Http2Exchanges {

  /**
   * The most often a REST h2 client may ping: once a second. Courier's REST client pings a connection whose server has
   * been silent for {@code RestOptions.IDLE_TIMEOUT} while calls are in flight, which gRPC's five minutes would punish.
   */
  private static final long PERMIT_KEEPALIVE_MILLIS = 1000;

  /** How long a server going away waits for the client to acknowledge its first GOAWAY before the final one. */
  private static final long GOAWAY_ACK_MILLIS = Duration.ofSeconds(20).toMillis();

  private Http2Exchanges() {}

  /**
   * The server handler of one h2 connection (add it once the client's preface may arrive: after prior-knowledge
   * detection or ALPN) whose every request goes to {@code requests}, on the connection's event loop.
   *
   * @param accepted the content types the server accepts, which the {@code 415} of a request {@code requests} refuses
   *     (returns {@code null} for) names
   * @param window the flow-control window of each stream; the connection's is twice that
   * @param readTimeoutMillis how long a request body may take to arrive whole, and a body or answer may wait for
   *     the server's budgets, before it is refused
   */
  public static ChannelHandler server(Function<HttpExchange, HttpExchange.Receiver> requests, String accepted,
      int maxHeaderListSize, int maxConcurrentStreams, int window, long readTimeoutMillis) {
    Http2Config config = new Http2Config(Integer.MAX_VALUE, maxHeaderListSize, maxConcurrentStreams, window,
        Long.MAX_VALUE, GOAWAY_ACK_MILLIS, 0, readTimeoutMillis, PERMIT_KEEPALIVE_MILLIS, true, null, false, null);
    return Http2ServerConnection.create(config, new HttpExchangeAcceptor(requests, accepted));
  }

  /**
   * Holds each HTTP/2 frame and header block of a server connection to {@code timeoutMillis} from its first byte (add
   * it in front of {@link #server}); {@code setting} names the option in the log line.
   */
  public static ChannelHandler readDeadline(long timeoutMillis, String setting) {
    return new Http2ReadDeadline(timeoutMillis, true, setting);
  }

  /** Whether {@code channel} is a connection {@link #server} serves with no stream open. On its event loop. */
  public static boolean hasNoStreams(Channel channel) {
    Http2ServerConnection handler = channel.pipeline().get(Http2ServerConnection.class);
    return handler != null && handler.connection().numActiveStreams() == 0;
  }

  /**
   * Makes a connection that {@link #server} serves go away gracefully (GOAWAY; the streams already open finish,
   * then it closes); {@code false} if {@code channel} is not such a connection. On the channel's event loop.
   */
  public static boolean goAway(Channel channel, String reason) {
    Http2ServerConnection handler = channel.pipeline().get(Http2ServerConnection.class);
    if (handler == null) {
      return false;
    }
    handler.goAway(reason);
    return true;
  }
}
