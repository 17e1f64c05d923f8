package io.courier.client;

import io.courier.common.CallOptions;
import io.courier.common.Deadline;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.internal.cluster.CallPlan;
import io.courier.serialization.Serializer;
import io.courier.transport.StreamListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One client call as it travels from the stub through the interceptors to a transport: the method, its
 * arguments, the options, the serializer chosen for it and its deadline, set when the stub starts the call.
 * Immutable apart from its cancellation state, which every copy made with a {@code with*} method shares. Stubs make
 * invocations; there is no public constructor (tests that drive a transport directly make one with
 * {@code io.courier.testing.TestInvocations}).
 *
 * <p>A call of a streaming method carries a stream listener, which only transports reach
 * ({@link InternalInvocation#stream}): the transport opens a stream, hands the listener its outbound side and
 * delivers response messages to it; the future completes (with {@code null}) when the stream ends successfully, or
 * with the failure. Interceptors see streaming calls like unary ones: at
 * their start (headers, deadline, the request of a server-streaming call) and at their end (the status).
 *
 * <p>Cancellation is how every layer lets go of a call it can no longer answer: the deadline interceptor
 * cancels with {@code DEADLINE_EXCEEDED}, a caller cancelling its future cancels with {@code CANCELLED}, and
 * transports register a listener that removes the call from their pending table and tells the peer.
 */
public final class Invocation {

  private final MethodDescriptor method;
  private final Object[] arguments;
  private final CallOptions options;
  private final Serializer serializer;
  private final Deadline deadline;
  private final Cancellation cancellation;
  private final StreamListener stream;
  /** How the stub's client resolved this method's calls; null for an {@link InternalInvocation#unplanned} one. */
  final CallPlan plan;
  /** Whether the caller blocks on the call's future and fails it at the deadline itself (so no timer is needed). */
  final boolean awaited;

  /**
   * An invocation made without a stub's plan (see {@link InternalInvocation#unplanned}): the cluster resolves the
   * method's plan when it is called, and the deadline is whatever {@link #withDeadline} gives it.
   */
  Invocation(MethodDescriptor method, Object[] arguments, CallOptions options, Serializer serializer,
      StreamListener stream) {
    this(method, arguments, options, serializer, null, new Cancellation(), stream, null, false);
  }

  /** The invocation of a call a stub starts with {@code plan}: see {@link InternalInvocation#start}. */
  Invocation(CallPlan plan, Object[] arguments, Deadline deadline, boolean awaited, StreamListener stream) {
    this(plan.method(), arguments, plan.options(), plan.serializer(), Objects.requireNonNull(deadline, "deadline"),
        new Cancellation(), stream, plan, awaited);
  }

  private Invocation(MethodDescriptor method, Object[] arguments, CallOptions options, Serializer serializer,
      Deadline deadline, Cancellation cancellation, StreamListener stream, CallPlan plan, boolean awaited) {
    this.method = Objects.requireNonNull(method, "method");
    this.arguments = Objects.requireNonNull(arguments, "arguments");
    this.options = Objects.requireNonNull(options, "options");
    this.serializer = Objects.requireNonNull(serializer, "serializer");
    this.deadline = deadline;
    this.cancellation = cancellation;
    this.stream = stream;
    this.plan = plan;
    this.awaited = awaited;
  }

  public MethodDescriptor method() {
    return method;
  }

  /** The arguments as the caller passed them. Do not modify the array. */
  public Object[] arguments() {
    return arguments;
  }

  public CallOptions options() {
    return options;
  }

  /** The serializer that encodes this call's arguments and decodes its result. */
  public Serializer serializer() {
    return serializer;
  }

  /**
   * The deadline: the method's timeout from when the stub started the call, capped by the deadline of the server call
   * it was made from, if any; {@code null} only for an {@link InternalInvocation#unplanned} invocation not given one.
   */
  public Deadline deadline() {
    return deadline;
  }

  /**
   * The listener of a streaming call, or {@code null} for a unary one; transports reach it through
   * {@link InternalInvocation#stream}, interceptors do not see it.
   */
  StreamListener stream() {
    return stream;
  }

  public Invocation withArguments(Object[] newArguments) {
    return new Invocation(method, newArguments, options, serializer, deadline, cancellation, stream, plan,
        awaited);
  }

  public Invocation withOptions(CallOptions newOptions) {
    return new Invocation(method, arguments, newOptions, serializer, deadline, cancellation, stream, plan,
        awaited);
  }

  public Invocation withSerializer(Serializer newSerializer) {
    return new Invocation(method, arguments, options, newSerializer, deadline, cancellation, stream, plan,
        awaited);
  }

  public Invocation withDeadline(Deadline newDeadline) {
    return new Invocation(method, arguments, options, serializer, newDeadline, cancellation, stream, plan,
        awaited);
  }

  /**
   * A copy for one attempt of this call (a retry, a fork): the same method, arguments, options and deadline, with a
   * cancellation of its own that follows this invocation's. Cancelling the attempt leaves this invocation and its
   * other attempts running; cancelling this invocation cancels every attempt.
   */
  public Invocation newAttempt() {
    Invocation attempt = new Invocation(method, arguments, options, serializer, deadline, new Cancellation(), stream,
        plan, awaited);
    onCancel(attempt::cancel);
    return attempt;
  }

  /**
   * Cancels the call with {@code status}: every registered listener runs once, on this thread — all of them, even
   * when one throws; the first exception is then rethrown. Later calls do nothing.
   */
  public void cancel(Status status) {
    cancellation.cancel(Objects.requireNonNull(status, "status"));
  }

  /** Whether {@link #cancel} has been called. */
  public boolean isCancelled() {
    return cancellation.status != null;
  }

  /** The status the call was cancelled with, or {@code null}. */
  public Status cancellationStatus() {
    return cancellation.status;
  }

  /**
   * Runs {@code listener} when the call is cancelled, at once if it already is. Listeners must be quick and
   * must not throw; transports use them to release pending state.
   */
  public void onCancel(Consumer<Status> listener) {
    cancellation.add(listener);
  }

  @Override
  public String toString() {
    return "Invocation{" + method.fullName() + ", serializer=" + serializer.name() + ", " + deadline + "}";
  }

  /** Shared by every copy of one invocation; listeners run at most once. */
  private static final class Cancellation {
    private volatile Status status;
    private Consumer<Status> first; // guarded by this; most calls have one listener, which needs no list
    private List<Consumer<Status>> more; // guarded by this

    void add(Consumer<Status> listener) {
      Status s;
      synchronized (this) {
        s = status;
        if (s == null) {
          if (first == null) {
            first = listener;
          } else {
            if (more == null) {
              more = new ArrayList<>(2);
            }
            more.add(listener);
          }
          return;
        }
      }
      listener.accept(s);
    }

    void cancel(Status s) {
      Consumer<Status> one;
      List<Consumer<Status>> toRun;
      synchronized (this) {
        if (status != null) {
          return;
        }
        status = s;
        one = first;
        toRun = more;
        first = null;
        more = null;
      }
      // a listener that throws (a transport whose event loop has stopped) must not keep the others from releasing
      // what they hold, nor the call from completing
      RuntimeException failure = null;
      if (one != null) {
        failure = run(one, s, failure);
      }
      if (toRun != null) {
        for (Consumer<Status> listener : toRun) {
          failure = run(listener, s, failure);
        }
      }
      if (failure != null) {
        throw failure;
      }
    }

    private static RuntimeException run(Consumer<Status> listener, Status s, RuntimeException failure) {
      try {
        listener.accept(s);
        return failure;
      } catch (RuntimeException e) {
        if (failure == null) {
          return e;
        }
        if (e != failure) {
          failure.addSuppressed(e);
        }
        return failure;
      }
    }
  }
}
