package io.courier.transport.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The event loops of one client or server transport and the channel classes that go with them: native epoll when
 * asked for and available, NIO otherwise. Threads are daemons named {@code threadName-N}; the owner shuts
 * {@link #group()} down when it closes.
 *
 * <pre>{@code
 * EventLoops loops = new EventLoops(options.get(TcpOptions.NATIVE_TRANSPORT), ioThreads, "courier-tcp-client");
 * Bootstrap b = new Bootstrap().group(loops.group()).channel(loops.socketChannel());
 * }</pre>
 */
public final class EventLoops {

  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> socketChannel;
  private final Class<? extends ServerChannel> serverChannel;
  private final boolean nativeEpoll;

  /**
   * @param preferNative use native epoll if this platform has it
   * @param threads event-loop threads; 0 for Netty's default (twice the processors)
   * @param threadName the prefix of the threads' names
   */
  public EventLoops(boolean preferNative, int threads, String threadName) {
    this.nativeEpoll = preferNative && Epoll.isAvailable();
    IoHandlerFactory io = nativeEpoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadName, true), io);
    this.socketChannel = nativeEpoll ? EpollSocketChannel.class : NioSocketChannel.class;
    this.serverChannel = nativeEpoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public EventLoopGroup group() {
    return group;
  }

  public Class<? extends SocketChannel> socketChannel() {
    return socketChannel;
  }

  public Class<? extends ServerChannel> serverChannel() {
    return serverChannel;
  }

  /** Whether native epoll was chosen. */
  public boolean nativeEpoll() {
    return nativeEpoll;
  }
}
