package io.courier.transport.tcp;

import io.courier.common.Metadata;
import io.courier.common.Status;
import io.courier.server.CallHead;
import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

/**
 * One decoded frame. Owns a retained slice of the inbound buffer holding the body; whoever consumes the frame
 * releases it exactly once. Fields that a frame type does not use are {@code null} or zero.
 */
final class TcpFrame extends AbstractReferenceCounted {

  final byte type;
  final byte flags;
  final byte serializerId;
  final byte status;
  final long id;
  /** REQUEST only. */
  final String service;
  /** REQUEST only. */
  final String method;
  /** REQUEST only: microseconds the caller has left, 0 for no deadline. */
  final long timeoutMicros;
  /** REQUEST headers or RESPONSE trailers. */
  final Metadata metadata;
  /** RESPONSE and GOAWAY: the status description or reason, possibly empty. */
  final String message;
  /** REQUEST and RESPONSE: the serialized payload; empty otherwise. */
  final ByteBuf body;
  /** REQUEST on a server: the admitted call's head ({@link TcpFrameDecoder.RequestGate}), or {@code null}. */
  CallHead head;
  /** REQUEST on a server: why the call is refused (its body was never buffered), or {@code null}. */
  Status refusal;
  /** REQUEST on a server: bytes of the connection's request budget the body holds until it is released. */
  long reserved;

  TcpFrame(byte type, byte flags, byte serializerId, byte status, long id, String service, String method,
      long timeoutMicros, Metadata metadata, String message, ByteBuf body) {
    this.type = type;
    this.flags = flags;
    this.serializerId = serializerId;
    this.status = status;
    this.id = id;
    this.service = service;
    this.method = method;
    this.timeoutMicros = timeoutMicros;
    this.metadata = metadata;
    this.message = message;
    this.body = body;
  }

  /** This frame's head with {@code newBody}; takes over this frame's admission and its reservation. */
  TcpFrame withBody(ByteBuf newBody) {
    TcpFrame frame = new TcpFrame(type, flags, serializerId, status, id, service, method, timeoutMicros, metadata,
        message, newBody);
    frame.head = head;
    frame.refusal = refusal;
    frame.reserved = reserved;
    release();
    return frame;
  }

  boolean isOneWay() {
    return (flags & TcpProtocol.FLAG_ONE_WAY) != 0;
  }

  @Override
  protected void deallocate() {
    body.release();
  }

  @Override
  public ReferenceCounted touch(Object hint) {
    body.touch(hint);
    return this;
  }

  @Override
  public String toString() {
    return "TcpFrame{type=" + TcpProtocol.typeName(type) + ", id=" + id
        + (service != null ? ", " + service + "/" + method : "") + ", status=" + status
        + ", body=" + body.readableBytes() + "B}";
  }
}
