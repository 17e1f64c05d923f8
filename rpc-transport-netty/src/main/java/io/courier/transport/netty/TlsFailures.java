package io.courier.transport.netty;

/** How Courier's transports describe a failed TLS handshake: by its root cause, which names what went wrong. */
public final class TlsFailures {

  private TlsFailures() {}

  /**
   * The message of the innermost cause of {@code failure} ("Empty client certificate chain", "PKIX path building
   * failed ...", "Received fatal alert: bad_certificate"), or its class name when it has none.
   */
  public static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }
}
