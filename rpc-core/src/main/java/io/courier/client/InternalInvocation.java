package io.courier.client;

import io.courier.common.Deadline;
import io.courier.internal.cluster.CallPlan;
import io.courier.transport.StreamListener;

/**
 * What Courier's own call path reads and writes on an {@link Invocation} beyond its API: the {@link CallPlan} a stub
 * resolved for the method, and whether the caller enforces the deadline itself. Not API: an accessor for
 * {@code io.courier.internal}, in the manner of grpc-java's {@code Internal*} classes; it may change at any time.
 */
public final class InternalInvocation {

  private InternalInvocation() {}

  /**
   * The invocation of a call started with {@code plan}: its method, options and serializer, and {@code deadline}.
   *
   * @param awaited whether the caller blocks on the call's future until {@code deadline} and fails it then, so the
   *     deadline interceptor needs no timer for it
   * @param stream the listener of a streaming call, or {@code null} for a unary one
   */
  public static Invocation start(CallPlan plan, Object[] arguments, Deadline deadline, boolean awaited,
      StreamListener stream) {
    return new Invocation(plan, arguments, deadline, awaited, stream);
  }

  /** The plan {@code invocation} was started with, or {@code null} if it was made with a public constructor. */
  public static CallPlan plan(Invocation invocation) {
    return invocation.plan;
  }

  /** Whether the caller of {@code invocation} enforces its deadline itself (see {@link #start}). */
  public static boolean isAwaited(Invocation invocation) {
    return invocation.awaited;
  }
}
