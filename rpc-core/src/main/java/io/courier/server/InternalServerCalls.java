package io.courier.server;

import io.courier.common.Metadata;
import io.courier.common.StatusCode;
import io.courier.internal.common.ApplicationExceptions;
import io.courier.internal.common.GenericCalls;
import io.courier.internal.common.HttpStatuses;
import java.lang.reflect.Type;

/**
 * Internal: for Courier's own transports; not an API, may change without notice.
 *
 * <p>What a transport's server side reads and writes of a call beyond the transport SPI, from {@code
 * io.courier.internal.common}, in the manner of grpc-java's {@code Internal*} classes (so that no module imports
 * another's {@code internal} package): the header that marks a generic call ({@link io.courier.client.GenericService}),
 * how a declared type reads in an error message, the trailer that names the class of an exception thrown by service
 * code, and the HTTP status of each {@link StatusCode}.
 */
public final class InternalServerCalls {

  private InternalServerCalls() {}

  /** The request header a generic client sends with every call. */
  public static final String GENERIC_HEADER_NAME = GenericCalls.HEADER_NAME;

  /** The trailer naming the class of an exception thrown by service code. */
  public static final String EXCEPTION_CLASS_KEY = ApplicationExceptions.EXCEPTION_CLASS_KEY;

  /** Whether a call with these headers was made by a generic client. */
  public static boolean isGeneric(Metadata headers) {
    return GenericCalls.isGeneric(headers);
  }

  /** {@code List<User>}, {@code int[]}: a declared type as its source reads, without packages. */
  public static String typeName(Type type) {
    return GenericCalls.typeName(type);
  }

  /** The HTTP status of {@code code}: {@code 499} (client closed request) for {@code CANCELLED}. */
  public static int httpStatus(StatusCode code) {
    return HttpStatuses.of(code);
  }
}
