package io.courier.transport.rest;

import io.courier.common.ServiceDescriptor;
import io.courier.describe.JsonText;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerSet;
import io.courier.server.InternalServerCalls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Array;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * Turns REST requests into arguments and results into bodies, for servers and clients alike, with the serializers
 * of the client or server — the {@code json} serializer's Jackson configuration (same {@code java.time} handling, no
 * default typing, the same allowlist), {@code protobuf} for {@code application/x-protobuf} bodies, and raw bytes
 * ({@link OctetStreamBody}) for {@code application/octet-stream} bodies of {@code byte[]}.
 *
 * <p>JSON bodies carry the body parameters ({@link RestMapping#bodyParams()}): none, an empty body (or {@code []});
 * one, that value's JSON — never wrapped in an array, whatever its type; several, a JSON array of their values in
 * order. Path and query parameters are text: strings as they are, numbers and booleans parsed, anything else read by
 * the JSON serializer from a JSON string (an enum's name, an ISO-8601 date, a UUID). Immutable.
 */
final class RestCodec {

  /** Jackson's location inside a message, {@code [Source: ...; line: 1, column: 5]}, said shorter. */
  private static final Pattern SOURCE = Pattern.compile(
      "\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

  static final String APPLICATION_JSON = "application/json";
  static final String APPLICATION_PROTOBUF = "application/x-protobuf";
  /** The request content types the REST binding reads, as a refusal names them. */
  static final String ACCEPTED = "application/json (or application/*+json) for REST, application/x-protobuf for "
      + "protobuf messages";

  private final Serializer json;
  private final Serializer protobuf; // null when not on the class path

  private RestCodec(Serializer json, Serializer protobuf) {
    this.json = json;
    this.protobuf = protobuf;
  }

  /**
   * The codec over {@code serializers}.
   *
   * @throws IllegalStateException saying which module to add, if the json serializer is not there
   */
  static RestCodec of(SerializerSet serializers) {
    Serializer json = serializers.find("json");
    if (json == null) {
      throw new IllegalStateException("the REST binding needs the json serializer, and it is not on the class path "
          + "(available: " + serializers.names() + "); add io.courier:courier-serialization-json");
    }
    return new RestCodec(json, serializers.find("protobuf"));
  }

  Serializer json() {
    return json;
  }

  /** The protobuf serializer, or {@code null}. */
  Serializer protobuf() {
    return protobuf;
  }

  /**
   * The serializer of a body of this content type, or {@code null} if none reads it: JSON ({@code application/json},
   * {@code application/*+json}, UTF-8 only; also a body without a content type), protobuf
   * ({@code application/x-protobuf}, {@code application/protobuf}) or raw bytes ({@code application/octet-stream}:
   * {@link OctetStreamBody}, which reads a {@code byte[]} only).
   */
  Serializer forContentType(CharSequence contentType) {
    if (contentType == null) {
      return json;
    }
    String type = contentType.toString();
    int semicolon = type.indexOf(';');
    String media = (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    if (media.equals(APPLICATION_JSON) || media.startsWith("application/") && media.endsWith("+json")) {
      if (semicolon >= 0) {
        String params = type.substring(semicolon + 1).toLowerCase(Locale.ROOT).replace(" ", "");
        int charset = params.indexOf("charset=");
        if (charset >= 0 && !params.startsWith("utf-8", charset + 8) && !params.startsWith("\"utf-8\"", charset + 8)) {
          return null;
        }
      }
      return json;
    }
    if (media.equals(APPLICATION_PROTOBUF) || media.equals("application/protobuf")) {
      return protobuf;
    }
    if (media.equals(OctetStreamBody.MEDIA_TYPE)) {
      return OctetStreamBody.INSTANCE;
    }
    return null;
  }

  /** The content type a body written by {@code serializer} carries. */
  static String contentType(Serializer serializer) {
    if (serializer == OctetStreamBody.INSTANCE) {
      return OctetStreamBody.MEDIA_TYPE;
    }
    return serializer.name().equals("protobuf") ? APPLICATION_PROTOBUF : APPLICATION_JSON;
  }

  // ---- server: request -> arguments ----

  /**
   * Decodes a request's arguments. {@code variables} holds path variables by parameter index (null where none),
   * {@code query} the query parameters.
   *
   * @throws SerializationException naming the parameter and the problem (with line and column for JSON)
   */
  Object[] readArguments(RestMapping mapping, Serializer bodySerializer, ByteBuf body, String[] variables,
      Map<String, List<String>> query) {
    RestMapping.Param[] params = mapping.params();
    Object[] args = new Object[params.length];
    for (RestMapping.Param p : params) {
      switch (p.source()) {
        case PATH -> args[p.index()] = fromText(variables[p.index()], p, "path parameter '" + p.name() + "'");
        case QUERY -> args[p.index()] = fromQuery(query.get(p.name()), p);
        case BODY -> { }
      }
    }
    int[] bodyParams = mapping.bodyParams();
    Type[] bodyTypes = mapping.bodyTypes();
    if (mapping.isPositional() && bodySerializer == json && bodyParams.length > 0) {
      return readPositional(body, bodyTypes);
    }
    if (bodyParams.length == 0) {
      if (!isBlank(body) && !isEmptyJsonArray(body)) {
        throw new SerializationException(mapping.describe() + " takes no body (its parameters come from the path and"
            + " the query); send none, or []");
      }
      return args;
    }
    if (bodySerializer != json) {
      Object[] values = bodySerializer.readArguments(body, bodyTypes);
      for (int i = 0; i < bodyParams.length; i++) {
        args[bodyParams[i]] = values[i];
      }
      return args;
    }
    if (isBlank(body)) {
      throw new SerializationException("the body is empty (expected: " + expectedBody(mapping) + ")");
    }
    int start = body.readerIndex();
    try {
      if (bodyParams.length == 1) {
        args[bodyParams[0]] = json.read(body, bodyTypes[0]);
      } else {
        Object[] values = json.readArguments(body, bodyTypes);
        for (int i = 0; i < bodyParams.length; i++) {
          args[bodyParams[i]] = values[i];
        }
      }
    } catch (SerializationException e) {
      throw new SerializationException(jsonProblem(e, "the body (expected: " + expectedBody(mapping) + ")"), e);
    }
    requireOnlyWhitespace(body, start);
    return args;
  }

  /**
   * A generic call's arguments: one JSON array of them all. The message says where the JSON went wrong; the dispatcher
   * adds which parameters the method takes.
   */
  private Object[] readPositional(ByteBuf body, Type[] types) {
    if (isBlank(body)) {
      throw new SerializationException("the body is empty (expected: a JSON array of the arguments)");
    }
    int start = body.readerIndex();
    Object[] args;
    try {
      args = json.readArguments(body, types);
    } catch (SerializationException e) {
      throw new SerializationException("the body: " + e.getMessage(), e); // names the argument
    }
    requireOnlyWhitespace(body, start);
    return args;
  }

  static String expectedBody(RestMapping mapping) {
    RestMapping.Param[] params = mapping.params();
    int[] body = mapping.bodyParams();
    if (body.length == 1) {
      RestMapping.Param p = params[body[0]];
      return "the JSON value of parameter " + p.name() + " (" + typeName(p.type()) + ")";
    }
    StringBuilder sb = new StringBuilder("a JSON array of ").append(body.length).append(" values: ");
    for (int i = 0; i < body.length; i++) {
      RestMapping.Param p = params[body[i]];
      sb.append(i == 0 ? "" : ", ").append(p.name()).append(" (").append(typeName(p.type())).append(')');
    }
    return sb.toString();
  }

  /** {@code List<User>}, {@code int[]}: a declared type as its source reads, without packages. */
  static String typeName(Type type) {
    return InternalServerCalls.typeName(type);
  }

  private Object fromQuery(List<String> values, RestMapping.Param p) {
    String what = "query parameter '" + p.name() + "'";
    if (p.multiple()) {
      StringBuilder array = new StringBuilder("[");
      if (values != null) {
        Class<?> element = ServiceDescriptor.rawClass(p.elementType());
        for (int i = 0; i < values.size(); i++) {
          array.append(i == 0 ? "" : ",").append(token(values.get(i), element, what));
        }
      }
      array.append(']');
      return readJsonText(array.toString(), p.type(), what);
    }
    if (values == null || values.isEmpty()) {
      if (p.raw().isPrimitive()) {
        throw new SerializationException(what + " is missing (expected: " + p.raw().getName() + ")");
      }
      return null;
    }
    return fromText(values.get(values.size() - 1), p, what);
  }

  /** A single value from text: strings as they are, numbers and booleans parsed, other types as a JSON string. */
  private Object fromText(String text, RestMapping.Param p, String what) {
    Class<?> raw = p.raw();
    if (raw == String.class || raw == CharSequence.class || raw == Object.class) {
      return text;
    }
    Object simple = parseSimple(text, raw, what);
    if (simple != null) {
      return simple;
    }
    return readJsonText(quote(text), p.type(), what);
  }

  private Object readJsonText(String jsonText, Type type, String what) {
    ByteBuf buf = Unpooled.wrappedBuffer(jsonText.getBytes(StandardCharsets.UTF_8));
    try {
      return json.read(buf, type);
    } catch (SerializationException e) {
      throw new SerializationException(jsonProblem(e, what + " (expected: " + typeName(type) + ")"), e);
    }
  }

  /** A JSON token for one element of a repeated query parameter. */
  private static String token(String text, Class<?> element, String what) {
    Object simple = parseSimple(text, element, what);
    if (simple != null && !(simple instanceof Character)) {
      return simple.toString();
    }
    return quote(text);
  }

  /** Numbers, booleans and chars parsed from text; {@code null} for other types. */
  private static Object parseSimple(String text, Class<?> raw, String what) {
    try {
      if (raw == int.class || raw == Integer.class) {
        return Integer.parseInt(text.trim());
      } else if (raw == long.class || raw == Long.class) {
        return Long.parseLong(text.trim());
      } else if (raw == double.class || raw == Double.class) {
        return Double.parseDouble(text.trim());
      } else if (raw == float.class || raw == Float.class) {
        return Float.parseFloat(text.trim());
      } else if (raw == short.class || raw == Short.class) {
        return Short.parseShort(text.trim());
      } else if (raw == byte.class || raw == Byte.class) {
        return Byte.parseByte(text.trim());
      } else if (raw == BigInteger.class) {
        return new BigInteger(text.trim());
      } else if (raw == BigDecimal.class) {
        return new BigDecimal(text.trim());
      }
    } catch (NumberFormatException e) {
      throw new SerializationException(what + ": '" + text + "' is not a valid " + raw.getSimpleName(), e);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      if (text.equals("true") || text.equals("false")) {
        return Boolean.valueOf(text);
      }
      throw new SerializationException(what + ": '" + text + "' is not a boolean (expected: true or false)");
    }
    if (raw == char.class || raw == Character.class) {
      if (text.length() == 1) {
        return text.charAt(0);
      }
      throw new SerializationException(what + ": '" + text + "' is not a single character");
    }
    return null;
  }

  // ---- client: arguments -> request ----

  /** The text of a path or query value: the inverse of what a server reads; {@code null} for null. */
  String toText(Object value, Type type) {
    if (value == null) {
      return null;
    }
    if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
        || value instanceof Character) {
      return value.toString();
    }
    ByteBuf buf = Unpooled.buffer(64);
    try {
      json.write(buf, value, type);
      if (buf.isReadable() && buf.getByte(buf.readerIndex()) == '"') {
        return (String) json.read(buf, String.class);
      }
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }

  /** The values of a repeated query parameter (a collection or an array), as text. */
  List<String> toTexts(Object value, RestMapping.Param p) {
    List<String> texts = new ArrayList<>();
    if (value instanceof Collection<?> c) {
      for (Object element : c) {
        if (element != null) {
          texts.add(toText(element, p.elementType()));
        }
      }
    } else if (value != null && value.getClass().isArray()) {
      for (int i = 0; i < Array.getLength(value); i++) {
        Object element = Array.get(value, i);
        if (element != null) {
          texts.add(toText(element, p.elementType()));
        }
      }
    }
    return texts;
  }

  /** Writes the body of a request: the body parameters as {@link #readArguments} reads them. */
  void writeBody(ByteBuf out, RestMapping mapping, Serializer bodySerializer, Object[] args) {
    int[] bodyParams = mapping.bodyParams();
    if (bodyParams.length == 0) {
      return;
    }
    if (bodySerializer == json && bodyParams.length == 1 && !mapping.isPositional()) {
      json.write(out, args[bodyParams[0]], mapping.bodyTypes()[0]);
      return;
    }
    Object[] values = new Object[bodyParams.length];
    for (int i = 0; i < bodyParams.length; i++) {
      values[i] = args[bodyParams[i]];
    }
    bodySerializer.writeArguments(out, values, mapping.bodyTypes());
  }

  // ---- results ----

  /** Encodes a result into a new buffer; released here if encoding fails. */
  ByteBuf writeValue(ByteBufAllocator alloc, Serializer serializer, Object value, Type type) {
    ByteBuf out = alloc.buffer();
    try {
      serializer.write(out, value, type);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /** Decodes a result body; JSON must be one value and nothing but whitespace after it. */
  Object readValue(Serializer serializer, ByteBuf body, Type type) {
    if (serializer != json) {
      return serializer.read(body, type);
    }
    int start = body.readerIndex();
    Object value;
    try {
      value = json.read(body, type);
    } catch (SerializationException e) {
      throw new SerializationException(jsonProblem(e, "the response body (expected: " + typeName(type) + ")"), e);
    }
    requireOnlyWhitespace(body, start);
    return value;
  }

  // ---- JSON text helpers ----

  /** {@code what: problem (line L, column C)} from a JSON failure; Jackson's own message otherwise. */
  static String jsonProblem(SerializationException e, String what) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JacksonException je) {
        TokenStreamLocation where = je.getLocation();
        String message = SOURCE.matcher(String.valueOf(je.getOriginalMessage())).replaceAll("line $1, column $2");
        if (where != null && where.getLineNr() > 0) {
          return what + ": " + message + " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
        }
        return what + ": " + message;
      }
    }
    return what + ": " + e.getMessage();
  }

  private static void requireOnlyWhitespace(ByteBuf body, int start) {
    for (int i = body.readerIndex(); i < body.writerIndex(); i++) {
      byte b = body.getByte(i);
      if (!isWhitespace(b)) {
        int line = 1;
        int column = 1;
        for (int j = start; j < i; j++) {
          if (body.getByte(j) == '\n') {
            line++;
            column = 1;
          } else {
            column++;
          }
        }
        throw new SerializationException("unexpected content after the JSON value (line " + line + ", column "
            + column + "): a body holds one value; several arguments go in one JSON array");
      }
    }
    body.readerIndex(body.writerIndex());
  }

  static boolean isBlank(ByteBuf body) {
    for (int i = body.readerIndex(); i < body.writerIndex(); i++) {
      if (!isWhitespace(body.getByte(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isEmptyJsonArray(ByteBuf body) {
    StringBuilder sb = new StringBuilder();
    for (int i = body.readerIndex(); i < body.writerIndex() && sb.length() < 3; i++) {
      byte b = body.getByte(i);
      if (!isWhitespace(b)) {
        sb.append((char) b);
      }
    }
    return sb.toString().equals("[]");
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  /** {@code s} as a JSON string literal. */
  static String quote(String s) {
    return JsonText.write(s);
  }
}
