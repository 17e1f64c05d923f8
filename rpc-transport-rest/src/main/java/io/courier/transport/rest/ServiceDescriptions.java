package io.courier.transport.rest;

import io.courier.common.Metadata;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.describe.JsonText;
import io.courier.describe.ServiceDescription;
import io.courier.server.CallHead;
import io.courier.transport.ServerConnection;
import io.courier.transport.http2.HttpExchange;
import io.courier.transport.netty.ChannelConnections;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service description endpoint of one server ({@link RestOptions#DESCRIBE_SERVICES}): {@code GET
 * /courier/services} answers every exported service's {@link ServiceDescription}, {@code GET
 * /courier/services/<name>} one, as JSON, after the same admission as a call of the pseudo service
 * {@value #SERVICE} (method {@code list} or {@code get}). The JSON is written once, when the server starts (the
 * exported services do not change). Immutable.
 */
final class ServiceDescriptions {

  /** The pseudo service admission and access rules see. */
  static final String SERVICE = "courier.Describe";
  static final String PATH = "/courier/services";

  private final byte[] all;
  private final Map<String, byte[]> byName;

  private ServiceDescriptions(byte[] all, Map<String, byte[]> byName) {
    this.all = all;
    this.byName = byName;
  }

  /** The descriptions of {@code services}, with the routes {@code router} serves them at. */
  static ServiceDescriptions of(List<ServiceDescriptor> services) {
    List<ServiceDescription> descriptions = new ArrayList<>();
    Map<String, byte[]> byName = new LinkedHashMap<>();
    for (ServiceDescriptor service : services) {
      ServiceDescription description = ServiceDescription.of(service, RestMapping::route);
      descriptions.add(description);
      byName.put(service.name(), JsonText.write(description.toJson()).getBytes(StandardCharsets.UTF_8));
    }
    return new ServiceDescriptions(JsonText.write(ServiceDescription.toJson(descriptions))
        .getBytes(StandardCharsets.UTF_8), byName);
  }

  /** Whether a request for {@code rawPath} is one for this endpoint. */
  static boolean matches(String rawPath) {
    return rawPath.equals(PATH) || rawPath.startsWith(PATH + "/");
  }

  /** Answers a request {@link #matches} took: admission first, then the method, then the description. */
  HttpExchange.Receiver serve(RestServer server, HttpExchange exchange, String rawPath) {
    String[] segments;
    try {
      segments = RestRouter.segments(rawPath);
    } catch (IllegalArgumentException e) {
      server.respond(exchange, Status.INVALID_ARGUMENT.withDescription("malformed path '" + rawPath + "': "
          + e.getMessage()), null);
      return HttpExchange.Receiver.DISCARD;
    }
    String name = segments.length <= 2 ? null
        : String.join("/", List.of(segments).subList(2, segments.length));
    HttpHeaders headers = exchange.request().headers();
    Metadata metadata = RestHeaders.readMetadata(headers);
    CallHead head = new CallHead(SERVICE, name == null ? "list" : "get", null, metadata, exchange.remoteAddress());
    ServerConnection connection = ChannelConnections.of(exchange.channel(), server.calls);
    Status refusal = server.calls.admit(connection, head);
    // the core answers UNIMPLEMENTED for a service it does not export once the interceptors let the call through
    if (refusal != null && refusal.code() != StatusCode.UNIMPLEMENTED) {
      server.respond(exchange, refusal, null);
      return HttpExchange.Receiver.DISCARD;
    }
    if (!exchange.request().method().name().equals("GET")) {
      server.respond(exchange, HttpResponseStatus.METHOD_NOT_ALLOWED, Status.UNIMPLEMENTED.withDescription(
          exchange.request().method().name() + " is not allowed on " + rawPath + " (allowed: GET)"), "GET");
      return HttpExchange.Receiver.DISCARD;
    }
    byte[] body = name == null ? all : byName.get(name);
    if (body == null) {
      server.respond(exchange, Status.NOT_FOUND.withDescription("unknown service " + name + " (expected: one of "
          + String.join(", ", byName.keySet()) + ")"), null);
      return HttpExchange.Receiver.DISCARD;
    }
    ByteBuf content = exchange.alloc().buffer(body.length).writeBytes(body);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    exchange.respond(response);
    return HttpExchange.Receiver.DISCARD;
  }
}
