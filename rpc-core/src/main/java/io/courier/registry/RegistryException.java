package io.courier.registry;

/**
 * A registry could not do what was asked: most often, it could not reach its backend when it was created. The
 * message says where it tried and what to check.
 */
public class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
