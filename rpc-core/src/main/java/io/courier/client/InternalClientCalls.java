package io.courier.client;

import io.courier.internal.common.ApplicationExceptions;

/**
 * Internal: for Courier's own transports; not an API, may change without notice.
 *
 * <p>What a transport's client side reads of an answer beyond the transport SPI, from {@code
 * io.courier.internal.common}, in the manner of grpc-java's {@code Internal*} classes (so that no module imports
 * another's {@code internal} package): the trailer that names the class of an exception thrown by service code, from
 * which the stub rebuilds it.
 */
public final class InternalClientCalls {

  private InternalClientCalls() {}

  /** The trailer naming the class of an exception thrown by service code. */
  public static final String EXCEPTION_CLASS_KEY = ApplicationExceptions.EXCEPTION_CLASS_KEY;
}
