package io.courier.client;

import io.courier.common.CallOptions;
import io.courier.common.Deadline;
import io.courier.common.MethodDescriptor;
import io.courier.internal.cluster.CallPlan;
import io.courier.serialization.Serializer;
import io.courier.transport.StreamListener;

/**
 * What Courier's own call path reads and writes on an {@link Invocation} beyond its API: the {@link CallPlan} a stub
 * resolved for the method, whether the caller enforces the deadline itself, and the stream listener of a streaming
 * call, which transports feed. Not API: an accessor for
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

  /**
   * An invocation of {@code method} that no stub started: no plan (the cluster resolves one when it is called) and no
   * deadline until {@link Invocation#withDeadline} gives it one. For transports' and the test kit's own use.
   *
   * @param stream the listener of a streaming call, or {@code null} for a unary one
   */
  public static Invocation unplanned(MethodDescriptor method, Object[] arguments, CallOptions options,
      Serializer serializer, StreamListener stream) {
    return new Invocation(method, arguments, options, serializer, stream);
  }

  /** The listener of a streaming call, which the transport feeds, or {@code null} for a unary call. */
  public static StreamListener stream(Invocation invocation) {
    return invocation.stream();
  }

  /** The plan {@code invocation} was started with, or {@code null} for an {@link #unplanned} one. */
  public static CallPlan plan(Invocation invocation) {
    return invocation.plan;
  }

  /** Whether the caller of {@code invocation} enforces its deadline itself (see {@link #start}). */
  public static boolean isAwaited(Invocation invocation) {
    return invocation.awaited;
  }
}
