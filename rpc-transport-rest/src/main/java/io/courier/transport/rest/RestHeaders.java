package io.courier.transport.rest;

import io.courier.common.Metadata;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP headers and Courier metadata: which headers are the protocol's own, how the others become metadata (names
 * lower-cased, {@code -bin} values base64), and the deadline header {@code grpc-timeout} (gRPC's syntax: up to 8
 * digits and a unit, {@code 500m}, {@code 2S}, {@code 1M}).
 */
final class RestHeaders {

  private static final Logger log = LoggerFactory.getLogger(RestHeaders.class);

  static final String TIMEOUT = "grpc-timeout";
  static final String EXCEPTION = "courier-exception";

  /** HTTP's own headers (and hop-by-hop ones): never metadata, either way. */
  private static final Set<String> RESERVED = Set.of("host", "content-type", "content-length", "content-encoding",
      "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "expect",
      "accept", "accept-encoding", "date", "server");

  private RestHeaders() {}

  /** Whether a header name is the protocol's own rather than application metadata. */
  static boolean isReserved(String lowerCaseName) {
    return lowerCaseName.isEmpty() || lowerCaseName.charAt(0) == ':' || lowerCaseName.startsWith("grpc-")
        || lowerCaseName.startsWith("x-http2-") || RESERVED.contains(lowerCaseName);
  }

  /** The application metadata among {@code headers}; entries that are not legal metadata are dropped. */
  static Metadata readMetadata(HttpHeaders headers) {
    if (headers.isEmpty()) {
      return Metadata.EMPTY;
    }
    Metadata.Builder b = null;
    for (Map.Entry<String, String> e : headers) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      if (isReserved(key)) {
        continue;
      }
      try {
        byte[] value = key.endsWith("-bin") ? decodeBase64(e.getValue())
            : e.getValue().getBytes(StandardCharsets.ISO_8859_1);
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

  /** Adds {@code metadata} to {@code headers}, leaving out reserved names; {@code -bin} values as base64. */
  static void writeMetadata(Metadata metadata, HttpHeaders headers) {
    for (int i = 0; i < metadata.size(); i++) {
      String name = metadata.name(i);
      if (isReserved(name)) {
        continue;
      }
      Object value = metadata.value(i);
      headers.add(name, value instanceof byte[] bytes ? Base64.getEncoder().withoutPadding().encodeToString(bytes)
          : (String) value);
    }
  }

  /** Base64 with or without padding; several values joined with commas are decoded one by one. */
  static byte[] decodeBase64(String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : value.split(",")) {
      String s = part.trim();
      int end = s.length();
      while (end > 0 && s.charAt(end - 1) == '=') {
        end--;
      }
      out.writeBytes(Base64.getDecoder().decode(s.substring(0, end)));
    }
    return out.toByteArray();
  }

  // ---- grpc-timeout (the same syntax as the http2 transport's) ----

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
   * @return nanoseconds
   * @throws IllegalArgumentException saying what is expected, if malformed
   */
  static long parseTimeout(String value) {
    String v = value.trim();
    int length = v.length();
    if (length < 2 || length > 9) {
      throw new IllegalArgumentException(TIMEOUT + " '" + value + "' (expected: 1-8 digits and a unit: H M S m u n,"
          + " as in 500m or 2S)");
    }
    long amount = 0;
    for (int i = 0; i < length - 1; i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(TIMEOUT + " '" + value + "' (expected: 1-8 digits and a unit: H M S m u n,"
            + " as in 500m or 2S)");
      }
      amount = amount * 10 + (c - '0');
    }
    TimeUnit unit = switch (v.charAt(length - 1)) {
      case 'H' -> TimeUnit.HOURS;
      case 'M' -> TimeUnit.MINUTES;
      case 'S' -> TimeUnit.SECONDS;
      case 'm' -> TimeUnit.MILLISECONDS;
      case 'u' -> TimeUnit.MICROSECONDS;
      case 'n' -> TimeUnit.NANOSECONDS;
      default -> throw new IllegalArgumentException(TIMEOUT + " '" + value
          + "' has an unknown unit (expected: H M S m u n, as in 500m or 2S)");
    };
    return unit.toNanos(amount);
  }
}
