package io.courier.console;

import java.util.Map;
import java.util.Objects;

/**
 * The console's answer to one request.
 *
 * @param status the HTTP status
 * @param contentType the body's content type
 * @param body the body
 * @param headers further headers to send ({@code cache-control}, {@code location}, {@code allow}, ...)
 */
public record ConsoleResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

  public ConsoleResponse {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    headers = Map.copyOf(headers);
  }
}
