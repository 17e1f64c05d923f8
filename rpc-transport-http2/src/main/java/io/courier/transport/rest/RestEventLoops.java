package io.courier.transport.rest;

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

/** Native epoll when asked for and available, NIO otherwise; one choice per client or server. */
final class RestEventLoops {

  final EventLoopGroup group;
  final Class<? extends SocketChannel> socketChannel;
  final Class<? extends ServerChannel> serverChannel;

  RestEventLoops(boolean preferNative, int threads, String threadName) {
    boolean nativeEpoll = preferNative && Epoll.isAvailable();
    IoHandlerFactory io = nativeEpoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadName, true), io);
    this.socketChannel = nativeEpoll ? EpollSocketChannel.class : NioSocketChannel.class;
    this.serverChannel = nativeEpoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }
}
