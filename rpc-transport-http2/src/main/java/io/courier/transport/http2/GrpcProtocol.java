package io.courier.transport.http2;

import io.courier.common.Metadata;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of gRPC's PROTOCOL-HTTP2 that are plain functions: header names, content types, the
 * {@code grpc-timeout} format, {@code grpc-message} percent-encoding, {@code -bin} metadata in base64 and the
 * mapping of HTTP statuses to gRPC codes. Stateless.
 */
final class GrpcProtocol {

  private static final Logger log = LoggerFactory.getLogger(GrpcProtocol.class);

  static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
  static final AsciiString TE = AsciiString.cached("te");
  static final AsciiString TRAILERS = AsciiString.cached("trailers");
  static final AsciiString USER_AGENT = AsciiString.cached("user-agent");
  static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");
  static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
  static final AsciiString GRPC_ENCODING = AsciiString.cached("grpc-encoding");
  static final AsciiString GRPC_ACCEPT_ENCODING = AsciiString.cached("grpc-accept-encoding");
  static final AsciiString POST = AsciiString.cached("POST");
  static final AsciiString STATUS_OK = AsciiString.cached("200");
  static final AsciiString GZIP = AsciiString.cached("gzip");
  static final AsciiString ACCEPTED_ENCODINGS = AsciiString.cached("gzip");
  static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");
  static final String GRPC_PREFIX = "application/grpc";
  /** The content types a gRPC request may have, as refusals name them. */
  static final String CONTENT_TYPES = "application/grpc, application/grpc+proto or application/grpc+<serializer>";
  static final AsciiString USER_AGENT_VALUE = AsciiString.cached("courier-java/0.1");

  /** The request header a Courier server passes on to services as metadata, so they can see compression. */
  static final String ENCODING_METADATA = "grpc-encoding";

  private GrpcProtocol() {}

  // ---- content types ----

  /**
   * The serializer name a content type asks for: {@code protobuf} for {@code application/grpc} and
   * {@code application/grpc+proto}, {@code X} for {@code application/grpc+X}; {@code null} if it is not a gRPC
   * content type. Parameters after {@code ;} are ignored.
   */
  static String serializerFor(CharSequence contentType) {
    if (contentType == null) {
      return null;
    }
    String s = contentType.toString().trim().toLowerCase(Locale.ROOT);
    int semicolon = s.indexOf(';');
    if (semicolon >= 0) {
      s = s.substring(0, semicolon).trim();
    }
    if (!s.startsWith(GRPC_PREFIX)) {
      return null;
    }
    if (s.length() == GRPC_PREFIX.length()) {
      return "protobuf";
    }
    char next = s.charAt(GRPC_PREFIX.length());
    if (next != '+') {
      return null;
    }
    String suffix = s.substring(GRPC_PREFIX.length() + 1);
    return suffix.equals("proto") ? "protobuf" : suffix.isEmpty() ? null : suffix;
  }

  /** The content type a client sends for a serializer: plain {@code application/grpc} for protobuf. */
  static AsciiString contentTypeFor(String serializer) {
    return serializer.equals("protobuf") ? APPLICATION_GRPC : AsciiString.of(GRPC_PREFIX + "+" + serializer);
  }

  // ---- grpc-timeout ----

  /** Encodes a positive timeout as at most 8 digits and the finest unit that fits. */
  static String encodeTimeout(long nanos) {
    long n = Math.max(1, nanos);
    if (n < 100_000_000L) {
      return n + "n";
    }
    long micros = TimeUnit.NANOSECONDS.toMicros(n);
    if (micros < 100_000_000L) {
      return micros + "u";
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(n);
    if (millis < 100_000_000L) {
      return millis + "m";
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(n);
    if (seconds < 100_000_000L) {
      return seconds + "S";
    }
    long minutes = TimeUnit.NANOSECONDS.toMinutes(n);
    if (minutes < 100_000_000L) {
      return minutes + "M";
    }
    return Math.min(99_999_999L, TimeUnit.NANOSECONDS.toHours(n)) + "H";
  }

  /**
   * Parses {@code grpc-timeout}: 1 to 8 ASCII digits and a unit ({@code H M S m u n}).
   *
   * @return nanoseconds, saturated at {@code Long.MAX_VALUE}
   * @throws IllegalArgumentException if malformed
   */
  static long parseTimeout(CharSequence value) {
    int length = value.length();
    if (length < 2 || length > 9) {
      throw new IllegalArgumentException("grpc-timeout '" + value + "' (expected: 1-8 digits and a unit H M S m u n)");
    }
    long amount = 0;
    for (int i = 0; i < length - 1; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("grpc-timeout '" + value + "' (expected: 1-8 digits and a unit)");
      }
      amount = amount * 10 + (c - '0');
    }
    TimeUnit unit = switch (value.charAt(length - 1)) {
      case 'H' -> TimeUnit.HOURS;
      case 'M' -> TimeUnit.MINUTES;
      case 'S' -> TimeUnit.SECONDS;
      case 'm' -> TimeUnit.MILLISECONDS;
      case 'u' -> TimeUnit.MICROSECONDS;
      case 'n' -> TimeUnit.NANOSECONDS;
      default -> throw new IllegalArgumentException("grpc-timeout '" + value
          + "' has unknown unit (expected: H M S m u n)");
    };
    return unit.toNanos(amount);
  }

  // ---- grpc-message ----

  /** Percent-encodes a status message: bytes of its UTF-8 outside {@code 0x20..0x7E}, and {@code %}. */
  static String encodeMessage(String message) {
    byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = null;
    for (int i = 0; i < utf8.length; i++) {
      int b = utf8[i] & 0xFF;
      boolean plain = b >= 0x20 && b <= 0x7E && b != '%';
      if (plain) {
        if (sb != null) {
          sb.append((char) b);
        }
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(utf8.length + 16);
        for (int j = 0; j < i; j++) {
          sb.append((char) utf8[j]);
        }
      }
      sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
          .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
    }
    return sb == null ? message : sb.toString();
  }

  /** Decodes a percent-encoded status message; malformed escapes are kept as they are, as gRPC asks. */
  static String decodeMessage(CharSequence value) {
    String s = value.toString();
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi << 4 | lo);
          i += 2;
          continue;
        }
      }
      out.write(c & 0xFF);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  // ---- HTTP status ----

  /** The gRPC code for a response whose HTTP status is not 200, as gRPC's http-grpc-status-mapping lists. */
  static StatusCode codeForHttpStatus(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> StatusCode.INTERNAL;
      case 401 -> StatusCode.UNAUTHENTICATED;
      case 403 -> StatusCode.PERMISSION_DENIED;
      case 404 -> StatusCode.UNIMPLEMENTED;
      case 429, 502, 503, 504 -> StatusCode.UNAVAILABLE;
      default -> StatusCode.UNKNOWN;
    };
  }

  // ---- metadata ----

  /** Whether a header is gRPC's or HTTP's own rather than application metadata. */
  static boolean isReserved(CharSequence name) {
    if (name.length() == 0 || name.charAt(0) == ':') {
      return true;
    }
    String n = name.toString();
    return n.startsWith("grpc-") || n.equals("content-type") || n.equals("te") || n.equals("connection")
        || n.equals("host") || n.equals("content-length") || n.equals("transfer-encoding");
  }

  /** Sets {@code status} on {@code headers}: {@code grpc-status}, and {@code grpc-message} if it has a description. */
  static void statusHeaders(Http2Headers headers, Status status) {
    headers.set(GRPC_STATUS, AsciiString.of(Integer.toString(status.code().value())));
    if (status.description() != null && !status.description().isEmpty()) {
      headers.set(GRPC_MESSAGE, encodeMessage(status.description()));
    }
  }

  /** Copies application metadata into headers; {@code -bin} values as unpadded base64. */
  static void writeMetadata(Metadata metadata, Http2Headers headers) {
    for (int i = 0; i < metadata.size(); i++) {
      String name = metadata.name(i);
      if (isReserved(name)) {
        continue;
      }
      Object value = metadata.value(i);
      if (value instanceof byte[] bytes) {
        headers.add(AsciiString.of(name), Base64.getEncoder().withoutPadding().encodeToString(bytes));
      } else {
        headers.add(AsciiString.of(name), (String) value);
      }
    }
  }

  /**
   * The application metadata in {@code headers}: {@code -bin} values decoded from base64 (padded or not).
   * Entries that are not legal metadata are dropped with a debug log. {@code keep} names one reserved header
   * to keep anyway (or {@code null}).
   */
  static Metadata readMetadata(Http2Headers headers, String keep) {
    Metadata.Builder b = null;
    for (Map.Entry<CharSequence, CharSequence> e : headers) {
      CharSequence name = e.getKey();
      if (isReserved(name) && (keep == null || !keep.contentEquals(name))) {
        continue;
      }
      String key = name.toString();
      try {
        byte[] value;
        if (key.endsWith("-bin")) {
          value = decodeBase64(e.getValue().toString());
        } else {
          value = e.getValue().toString().getBytes(StandardCharsets.US_ASCII);
        }
        if (b == null) {
          b = Metadata.builder();
        }
        b.addRaw(key, value);
      } catch (IllegalArgumentException invalid) {
        log.debug("dropping header {}: {}", key, invalid.getMessage());
      }
    }
    return b == null ? Metadata.EMPTY : b.build();
  }

  /** Base64 with or without padding; several values joined with commas are decoded one by one. */
  static byte[] decodeBase64(String value) {
    if (value.indexOf(',') < 0) {
      return Base64.getDecoder().decode(stripPadding(value.trim()));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : value.split(",")) {
      out.writeBytes(Base64.getDecoder().decode(stripPadding(part.trim())));
    }
    return out.toByteArray();
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }
}
