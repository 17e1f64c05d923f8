package io.courier.serialization;

/**
 * A value could not be encoded or decoded. The message says which type and, when a format cannot carry a
 * type at all, which format can. The call layer turns it into an {@code RpcException}: {@code INTERNAL}
 * when the caller's own value failed to encode, {@code INVALID_ARGUMENT} when a server could not decode what
 * it received.
 */
public class SerializationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SerializationException(String message) {
    super(message);
  }

  public SerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
