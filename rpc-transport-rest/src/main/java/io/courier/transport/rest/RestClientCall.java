package io.courier.transport.rest;

import io.courier.client.InternalClientCalls;
import io.courier.client.Invocation;
import io.courier.common.Endpoint;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.transport.ConnectionLostException;
import io.courier.transport.netty.StreamRefusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One call a Courier client makes through a service's REST binding: the request is built on the caller's thread from
 * the method's {@link RestMapping} (path, query, JSON body, headers from the call's metadata, {@code grpc-timeout}
 * from its deadline), written on a pooled HTTP/1.1 connection or an h2 stream, and the response is turned back into
 * the result or the failure the server sent ({@code code}, {@code message} and {@code courier-exception}, so that
 * application exceptions are rebuilt as over the other transports).
 *
 * <p>Invariant: {@link #result} completes once ({@link #finished}); whoever completes it releases the request if it
 * was not written. A cancelled call (deadline, caller) closes the connection or stream carrying it, which tells the
 * server.
 */
final class RestClientCall {

  private static final int MAX_REDISPATCHES = 3;
  private static final String USER_AGENT = "courier-java/0.1";
  private static final Metadata.Key<String> EXCEPTION_CLASS =
      Metadata.Key.of(InternalClientCalls.EXCEPTION_CLASS_KEY);

  private final Invocation invocation;
  private final MethodDescriptor method;
  private final RestCodec codec;
  private final Endpoint endpoint;
  private final CompletableFuture<Object> result = new CompletableFuture<>();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final AtomicReference<FullHttpRequest> request = new AtomicReference<>(); // until written or released
  /** h2: the request as sent, kept until the server answers, so that a refused stream can be sent again. */
  private final AtomicReference<FullHttpRequest> sent = new AtomicReference<>();
  private volatile Runnable resend; // h2: sends the call again on a usable connection
  private final StreamRefusal refusal = new StreamRefusal(); // on the carrying connection's event loop
  private volatile Runnable abort; // stops the call where it is carried: closes its connection, resets its stream
  private volatile boolean written;
  private volatile boolean cancelled; // by its deadline or its caller: the carrying connection is being closed
  private int redispatches; // touched by one event loop at a time, handed over through the pool's queue

  /**
   * Builds the request.
   *
   * @throws IllegalArgumentException if the method's REST mapping is not usable
   * @throws RuntimeException if the arguments cannot be encoded (the request is released)
   */
  RestClientCall(Invocation invocation, RestCodec codec, Endpoint endpoint, ByteBufAllocator alloc) {
    this.invocation = invocation;
    this.method = invocation.method();
    this.codec = codec;
    this.endpoint = endpoint;
    Serializer serializer = invocation.serializer().name().equals("protobuf") && codec.protobuf() != null
        ? codec.protobuf() : codec.json();
    this.request.set(build(RestMapping.of(method), serializer, alloc));
    invocation.onCancel(this::cancel);
  }

  private FullHttpRequest build(RestMapping mapping, Serializer serializer, ByteBufAllocator alloc) {
    Object[] args = invocation.arguments();
    StringBuilder uri = new StringBuilder(64);
    if (mapping.isRouted()) {
      for (RestMapping.Segment s : mapping.segments()) {
        uri.append('/');
        if (s.isVariable()) {
          RestMapping.Param p = mapping.params()[s.param()];
          String text = codec.toText(args[p.index()], p.type());
          if (text == null) {
            throw new IllegalArgumentException("path parameter '" + p.name() + "' of " + method.fullName()
                + " is null (expected: a value for " + mapping.template() + ")");
          }
          uri.append(encodeSegment(text));
        } else {
          uri.append(encodeSegment(s.literal()));
        }
      }
      if (uri.length() == 0) {
        uri.append('/');
      }
    } else {
      uri.append('/').append(encodeSegment(method.service().name())).append('/').append(encodeSegment(method.name()));
    }
    char separator = '?';
    for (RestMapping.Param p : mapping.params()) {
      if (p.source() != RestMapping.Source.QUERY || args[p.index()] == null) {
        continue;
      }
      List<String> texts = p.multiple() ? codec.toTexts(args[p.index()], p) : List.of(codec.toText(args[p.index()],
          p.type()));
      for (String text : texts) {
        uri.append(separator).append(encodeQuery(p.name())).append('=').append(encodeQuery(text));
        separator = '&';
      }
    }
    // a byte[] body goes as raw bytes (a null one as JSON's null): no base64, a third fewer bytes
    Serializer bodySerializer = OctetStreamBody.readsRequestOf(mapping) && args[mapping.bodyParams()[0]] != null
        ? OctetStreamBody.INSTANCE : serializer;
    ByteBuf body = alloc.buffer();
    try {
      codec.writeBody(body, mapping, bodySerializer, args);
    } catch (RuntimeException e) {
      body.release();
      throw e;
    }
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(mapping.httpMethod()),
        uri.toString(), body);
    HttpHeaders h = r.headers();
    h.set(HttpHeaderNames.HOST, endpoint.host() + ":" + endpoint.port());
    if (mapping.bodyParams().length > 0) {
      h.set(HttpHeaderNames.CONTENT_TYPE, RestCodec.contentType(bodySerializer));
    }
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    String accept = RestCodec.contentType(serializer);
    h.set(HttpHeaderNames.ACCEPT, method.responseType() == byte[].class ? OctetStreamBody.MEDIA_TYPE + ", " + accept
        : accept);
    h.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
    RestHeaders.writeMetadata(invocation.options().headers(), h);
    return r;
  }

  /** Percent-encodes a path segment (RFC 3986: unreserved characters stay). */
  static String encodeSegment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%7E", "~");
  }

  private static String encodeQuery(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%7E", "~");
  }

  CompletableFuture<Object> result() {
    return result;
  }

  MethodDescriptor method() {
    return method;
  }

  boolean isFinished() {
    return finished.get();
  }

  /** Whether the call was cancelled (deadline, caller), which closes the connection carrying it. */
  boolean isCancelled() {
    return cancelled;
  }

  /**
   * Whether the call, not yet written, may be given to another connection because the one chosen for it closed
   * first; at most {@value #MAX_REDISPATCHES} times, so that a server closing every connection at once still
   * fails the call rather than spinning. Event loop of the connection that was chosen.
   */
  boolean mayRedispatch() {
    return !written && redispatches++ < MAX_REDISPATCHES;
  }

  /**
   * The request to write, with its deadline header set now; {@code null} if the call already ended (then nothing is
   * written). Fails the call if its deadline has passed.
   *
   * @param abort what a cancellation does from now on (any thread): close the connection, reset the stream
   */
  FullHttpRequest takeRequest(Runnable abort) {
    FullHttpRequest r = request.getAndSet(null);
    if (r == null) {
      return null;
    }
    if (finished.get()) {
      r.release();
      return null;
    }
    if (invocation.deadline() != null) {
      long nanos = invocation.deadline().remainingNanos();
      if (nanos <= 0) {
        r.release();
        fail(Status.DEADLINE_EXCEEDED.withDescription("deadline expired before " + method.fullName() + " was sent"));
        return null;
      }
      r.headers().set(RestHeaders.TIMEOUT, RestHeaders.encodeTimeout(nanos));
    }
    this.abort = abort;
    if (finished.get()) { // cancelled meanwhile: cancel() may not have seen the abort
      r.release();
      abort.run();
      return null;
    }
    return r;
  }

  /** How to send this call again on a usable connection (h2), for a stream the server refused unprocessed. */
  void onResend(Runnable resender) {
    this.resend = resender;
  }

  /**
   * The request taken with {@link #takeRequest} is being sent on an h2 stream (its body written from a duplicate): it
   * is kept until the server answers ({@link #answered}) if the call can be sent again, else released. Event loop.
   */
  void sending(FullHttpRequest r) {
    if (resend == null) {
      r.release();
      return;
    }
    sent.set(r);
    if (finished.get()) { // completed meanwhile (cancelled): whoever completed it may not have seen it
      releaseSent();
    }
  }

  /** The server answered the call's stream (HEADERS): it took the call, which is not sent again. Event loop. */
  void answered() {
    releaseSent();
  }

  /**
   * The server refused the call's stream without processing it (REFUSED_STREAM, above a GOAWAY's last stream id, or
   * never created because the connection went away first). It is sent again on a usable connection, at most twice,
   * unless its response had started — the gRPC client's rule ({@link StreamRefusal}); else it fails with
   * {@code status}, safe to retry. Event loop.
   */
  void refused(Status status, boolean responseStarted) {
    Runnable r = resend;
    FullHttpRequest kept = sent.getAndSet(null);
    if (kept != null) {
      request.compareAndSet(null, kept);
      if (request.get() != kept) {
        kept.release();
      }
    }
    if (r != null && !finished.get() && request.get() != null && refusal.mayResend(responseStarted)) {
      written = false; // this attempt never ran: a connection lost under the next one tells apart the same way
      abort = null;
      if (finished.get()) { // cancelled meanwhile: cancel() may have released the request before it came back
        releaseRequest();
        return;
      }
      r.run();
      return;
    }
    fail(status);
  }

  /** The request is on the wire: a one-way call completes now (its response is read and dropped). */
  void written() {
    written = true;
    if (method.isOneWay() && finished.compareAndSet(false, true)) {
      result.complete(null);
    }
  }

  /**
   * The response, on the event loop; the caller releases it. Returns whether this response ended the call (with its
   * value or its failure); {@code false} if the call had ended before (cancelled, failed, or one-way).
   */
  boolean onResponse(FullHttpResponse response) {
    releaseSent();
    if (finished.get()) {
      return false;
    }
    int code = response.status().code();
    ByteBuf body = response.content();
    if (code >= 200 && code < 300) {
      Object value = null;
      Serializer serializer = codec.forContentType(response.headers().get(HttpHeaderNames.CONTENT_TYPE));
      // an empty body is null, but empty raw bytes are an empty byte[]
      if (method.responseType() != Void.class && code != 204
          && (body.isReadable() || serializer == OctetStreamBody.INSTANCE)) {
        if (serializer == null) {
          return fail(Status.INTERNAL.withDescription("the response of " + method.fullName() + " from " + endpoint
              + " has content-type '" + response.headers().get(HttpHeaderNames.CONTENT_TYPE)
              + "' (expected: application/json)"));
        }
        try {
          value = codec.readValue(serializer, body, method.responseType());
        } catch (SerializationException e) {
          return fail(Status.INTERNAL.withDescription("cannot decode the response of " + method.fullName() + ": "
              + e.getMessage()).withCause(e));
        } catch (RuntimeException e) {
          return fail(Status.INTERNAL.withDescription("cannot decode the response of " + method.fullName() + ": " + e)
              .withCause(e));
        }
      }
      if (finished.compareAndSet(false, true)) {
        result.complete(value);
        return true;
      }
      return false;
    }
    Metadata trailers = RestHeaders.readMetadata(response.headers());
    RestErrors.Error error = RestErrors.read(codec.json(), body);
    Status status;
    if (error != null) {
      status = Status.of(error.code()).withDescription(error.message());
      if (error.exception() != null && !trailers.containsKey(EXCEPTION_CLASS)) {
        trailers = trailers.with(EXCEPTION_CLASS, error.exception());
      }
    } else {
      String text = body.toString(body.readerIndex(), Math.min(body.readableBytes(), 256), StandardCharsets.UTF_8)
          .strip();
      status = Status.of(RestErrors.codeOf(code)).withDescription("HTTP " + response.status() + " from " + endpoint
          + " for " + method.fullName() + (text.isEmpty() ? "" : ": " + text));
    }
    if (finished.compareAndSet(false, true)) {
      result.completeExceptionally(status.asException(trailers));
      return true;
    }
    return false;
  }

  /** The connection or stream closed before the response: the server may have run the call if it was sent. */
  void connectionLost(String why) {
    if (written) {
      fail(Status.UNAVAILABLE.withDescription(why + " with " + method.fullName() + " in flight")
          .withCause(new ConnectionLostException(why)));
    } else {
      fail(Status.UNAVAILABLE.withDescription(why + " before " + method.fullName() + " was sent"));
    }
  }

  /**
   * Fails the call (if still open) and releases the request if it was not written; returns whether this ended the
   * call.
   */
  boolean fail(Status status) {
    boolean ended = finished.compareAndSet(false, true);
    if (ended) {
      result.completeExceptionally(status.asException());
    }
    releaseRequest();
    return ended;
  }

  private void cancel(Status status) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    cancelled = true;
    Runnable a = abort;
    try {
      if (a != null) { // before the caller hears of it: nothing of the call is sent once the caller was told
        a.run(); // HTTP/1.1: closes the connection, which cannot carry another call; h2: resets the stream
      }
    } finally {
      result.completeExceptionally(status.asException());
      releaseRequest();
    }
  }

  private void releaseRequest() {
    FullHttpRequest r = request.getAndSet(null);
    if (r != null) {
      ReferenceCountUtil.release(r);
    }
    releaseSent();
  }

  private void releaseSent() {
    FullHttpRequest r = sent.getAndSet(null);
    if (r != null) {
      ReferenceCountUtil.release(r);
    }
  }
}
