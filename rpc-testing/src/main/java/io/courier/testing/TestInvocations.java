package io.courier.testing;

import io.courier.client.InternalInvocation;
import io.courier.client.Invocation;
import io.courier.common.CallOptions;
import io.courier.common.MethodDescriptor;
import io.courier.serialization.Serializer;

/**
 * Invocations for tests that drive a {@code ClientTransport} or a balancer directly, without a stub: no call plan and
 * no deadline until the test gives one ({@link Invocation#withDeadline}). Stubs make every other invocation.
 */
public final class TestInvocations {

  private TestInvocations() {}

  /** A unary call of {@code method} with {@code arguments} (used as is), encoded by {@code serializer}. */
  public static Invocation unary(MethodDescriptor method, Object[] arguments, CallOptions options,
      Serializer serializer) {
    return InternalInvocation.unplanned(method, arguments, options, serializer, null);
  }
}
