package io.courier.console;

import io.courier.common.Metadata;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * One HTTP request for the console.
 *
 * @param method the HTTP method, upper case
 * @param path the path below the console's base, starting with {@code /} ({@code /api/server}), or empty for the base
 *     itself
 * @param query the raw query string without {@code ?}, or {@code null}
 * @param headers the request's headers ({@code authorization} among them)
 * @param body the request's body, at most {@link Console#MAX_BODY_BYTES}; empty for none
 * @param remoteAddress the caller's address
 */
public record ConsoleRequest(String method, String path, String query, Metadata headers, byte[] body,
    SocketAddress remoteAddress) {

  public ConsoleRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    if (body.length > Console.MAX_BODY_BYTES) {
      throw new IllegalArgumentException("body: " + body.length + " bytes (expected: at most "
          + Console.MAX_BODY_BYTES + ")");
    }
  }
}
