package io.courier.internal.server;

import io.courier.common.Deadline;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.MethodKind;
import io.courier.common.RpcException;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.internal.common.ApplicationExceptions;
import io.courier.internal.common.GenericCalls;
import io.courier.serialization.SerializationException;
import io.courier.server.CallHead;
import io.courier.server.ServerContext;
import io.courier.server.ServerInterceptor;
import io.courier.server.ServerInvocation;
import io.courier.server.ServiceOptions;
import io.courier.transport.ServerCall;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.ServerConnection;
import io.courier.transport.ServerStreamCall;
import io.netty.util.Timer;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the calls transports decode: admits each from its headers (the interceptors' {@link ServerInterceptor#admit}
 * — before any argument byte is buffered when the transport asks first, else here before decoding), finds the
 * exported method (resolved at export time, looked up by name only through maps), moves the call to its executor
 * within its connection's share of the workers ({@link ConnectionCalls}), refuses it if its deadline already passed,
 * runs the server interceptors (the deadline interceptor first) and the implementation, and closes the call exactly
 * once. Streaming calls take the same path: interceptors see them at their start and their end, and
 * {@link ServerStreams} connects the implementation's observers to the transport's {@link ServerStreamCall};
 * transports that cannot stream hand over plain {@link ServerCall}s, which fail with {@code UNIMPLEMENTED}.
 * Immutable after construction apart from the in-flight count.
 */
public final class ServerDispatcher implements ServerCallHandler {

  private static final Logger log = LoggerFactory.getLogger(ServerDispatcher.class);
  private static final Object[] NO_ARGUMENTS = new Object[0];
  private static final Status CALL_CLOSED = Status.CANCELLED.withDescription("call closed");

  /** Exported methods by service name, then by wire method name. */
  private final Map<String, Map<String, MethodDescriptor>> methodsByName = new HashMap<>();
  private final Map<MethodDescriptor, ExportedMethod> exported = new IdentityHashMap<>();
  private final List<ServiceDescriptor> services;
  private final String poolDescription;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Queue<CompletableFuture<Void>> idleWaiters =
      new ConcurrentLinkedQueue<>();
  /** The server-wide interceptors: the admission of a call to a service the server does not export. */
  private final ServerInterceptor[] serverInterceptors;
  /** Each service's interceptors (server-wide, then its own): the admission of a call to a method it lacks. */
  private final Map<String, ServerInterceptor[]> interceptorsByService = new HashMap<>();
  private final ConnectionPolicy connections;

  /** One exported service: its descriptor, implementation and options. */
  public record Export(ServiceDescriptor descriptor, Object implementation, ServiceOptions options) {}

  /**
   * @param connections what each connection gets: its share of the workers and its memory budgets
   */
  public ServerDispatcher(List<Export> exports, List<ServerInterceptor> serverInterceptors, Executor workers,
      String poolDescription, Timer timer, ConnectionPolicy connections) {
    this.poolDescription = poolDescription;
    this.serverInterceptors = serverInterceptors.toArray(new ServerInterceptor[0]);
    this.connections = connections;
    ServerDeadlineInterceptor deadlines = new ServerDeadlineInterceptor(timer);
    List<ServiceDescriptor> exportedServices = new ArrayList<>();
    for (Export export : exports) {
      ServiceDescriptor service = export.descriptor();
      if (methodsByName.containsKey(service.name())) {
        throw new IllegalArgumentException("service " + service.name() + " is exported twice");
      }
      List<ServerInterceptor> interceptors = new ArrayList<>();
      interceptors.add(deadlines);
      interceptors.addAll(serverInterceptors);
      interceptors.addAll(export.options().interceptors());
      Executor executor = export.options().isOnIoThread() ? null
          : export.options().executor() != null ? export.options().executor() : workers;
      Map<String, MethodDescriptor> methods = new HashMap<>();
      for (MethodDescriptor method : service.methods()) {
        methods.put(method.name(), method);
        exported.put(method, new ExportedMethod(method, export.implementation(), executor, interceptors));
      }
      interceptorsByService.put(service.name(), interceptors.toArray(new ServerInterceptor[0]));
      methodsByName.put(service.name(), methods);
      exportedServices.add(service);
    }
    this.services = List.copyOf(exportedServices);
  }

  @Override
  public MethodDescriptor lookup(String service, String method) {
    Map<String, MethodDescriptor> methods = methodsByName.get(service);
    return methods == null ? null : methods.get(method);
  }

  @Override
  public boolean hasService(String service) {
    return methodsByName.containsKey(service);
  }

  @Override
  public List<ServiceDescriptor> services() {
    return services;
  }

  @Override
  public Status unimplemented(String service, String method) {
    Map<String, MethodDescriptor> methods = methodsByName.get(service);
    return Status.UNIMPLEMENTED.withDescription(methods == null
        ? "unknown service " + service
        : "unknown method " + method + " of service " + service);
  }

  /** Calls accepted and not yet closed. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Completes once no call is in flight — none accepted and not yet closed, which includes service methods still
   * running after their caller gave up — now or the next time the count falls to zero.
   */
  public CompletableFuture<Void> whenIdle() {
    CompletableFuture<Void> idle = new CompletableFuture<>();
    idleWaiters.add(idle);
    if (inFlight.get() == 0) {
      idleWaiters.remove(idle);
      idle.complete(null);
    }
    return idle;
  }

  private void completeIdleWaiters() {
    for (CompletableFuture<Void> waiter : idleWaiters) {
      if (inFlight.get() == 0 && idleWaiters.remove(waiter)) {
        waiter.complete(null);
      }
    }
  }

  /** The interceptors every exported service has (not those of one service's options). */
  public List<ServerInterceptor> serverInterceptors() {
    return List.of(serverInterceptors);
  }

  @Override
  public ServerConnection openConnection(SocketAddress remoteAddress) {
    return connections.open(remoteAddress);
  }

  @Override
  public Status admit(ServerConnection connection, CallHead head) {
    ExportedMethod method = head.method() == null ? null : exported.get(head.method());
    // an unknown method of a known service meets that service's own checks too: a caller they refuse cannot tell
    Status refusal = admit(method != null ? method.interceptors()
        : interceptorsByService.getOrDefault(head.service(), serverInterceptors), head);
    if (refusal != null) {
      if (log.isDebugEnabled()) {
        log.debug("refused {}: {}", head, refusal);
      }
      return refusal;
    }
    if (method == null) {
      return unimplemented(head.service(), head.methodName());
    }
    if (GenericCalls.isGeneric(head.headers())) {
      Status notUnary = GenericCalls.refusal(method.descriptor);
      if (notUnary != null) {
        return notUnary;
      }
    }
    if (connection instanceof ConnectionCalls calls) {
      calls.admitted();
    }
    return null;
  }

  /** Each interceptor's admission in turn; the first refusal wins. A check that throws refuses the call. */
  private static Status admit(ServerInterceptor[] interceptors, CallHead head) {
    for (ServerInterceptor interceptor : interceptors) {
      Status refusal;
      try {
        refusal = interceptor.admit(head);
      } catch (RuntimeException e) {
        log.warn("the admission check of {} failed on {}; refusing the call", interceptor, head, e);
        return Status.INTERNAL.withDescription("the server could not check the call").withCause(e);
      }
      if (refusal != null && !refusal.isOk()) {
        return refusal;
      }
    }
    return null;
  }

  @Override
  public void handle(ServerCall call) {
    inFlight.incrementAndGet();
    CallCloser closer = new CallCloser(call);
    ExportedMethod method = exported.get(call.method());
    if (method == null) {
      closer.error(unimplemented(call.method().service().name(), call.method().name()), Metadata.EMPTY);
      return;
    }
    CallHead head = call.head();
    if (head == null) { // the transport did not admit the call before buffering it: admit it before decoding
      MethodDescriptor d = method.descriptor;
      head = new CallHead(d.service().name(), d.name(), d, call.headers(), call.remoteAddress());
      Status refusal = admit(call.connection(), head);
      if (refusal != null) {
        closer.error(refusal, Metadata.EMPTY);
        return;
      }
    }
    closer.head = head;
    if (method.descriptor.kind() != MethodKind.UNARY && !(call instanceof ServerStreamCall)) {
      closer.error(Status.UNIMPLEMENTED.withDescription(method.descriptor.fullName() + " is a "
          + method.descriptor.kind() + " method and this transport cannot stream (call it over http2)"),
          Metadata.EMPTY);
      return;
    }
    if (method.executor == null) {
      closer.method = method;
      run(method, call, closer);
      return;
    }
    closer.method = method;
    if (call.connection() instanceof ConnectionCalls share) {
      closer.share = share;
      share.execute(closer);
      return;
    }
    try {
      method.executor.execute(closer);
    } catch (RejectedExecutionException e) {
      closer.rejected(e);
    }
  }

  private void run(ExportedMethod method, ServerCall call, CallCloser closer) {
    Deadline deadline = call.deadline();
    if (deadline != null && deadline.isExpired()) {
      closer.error(Status.DEADLINE_EXCEEDED.withDescription("deadline expired before the server started "
          + method.descriptor.fullName()), Metadata.EMPTY);
      return;
    }
    MethodKind kind = method.descriptor.kind();
    Object[] arguments;
    try {
      arguments = kind.clientSendsOneMessage() ? call.readArguments() : NO_ARGUMENTS;
    } catch (SerializationException e) {
      // a generic caller has no interface to look at: tell it what the method takes
      String expected = GenericCalls.isGeneric(call.headers())
          ? " (expected: " + GenericCalls.expectedArguments(method.descriptor) + ")" : "";
      closer.error(Status.INVALID_ARGUMENT.withDescription("cannot decode the arguments of "
          + method.descriptor.fullName() + ": " + e.getMessage() + expected).withCause(e), Metadata.EMPTY);
      return;
    } catch (RuntimeException e) {
      closer.error(Status.INTERNAL.withDescription("cannot decode the arguments of "
          + method.descriptor.fullName() + ": " + e).withCause(e), Metadata.EMPTY);
      return;
    }
    ServerContext context = new ServerContext(closer.head, deadline);
    closer.context = context;
    call.onCancel(() -> context.cancel(Status.CANCELLED.withDescription("the caller cancelled "
        + method.descriptor.fullName())));
    ServerInvocation invocation = new ServerInvocation(method.descriptor, arguments, call.headers(), deadline,
        call.remoteAddress());
    ServerStreams streams = kind == MethodKind.UNARY ? null : new ServerStreams(method.descriptor,
        (ServerStreamCall) call, context, method.executor, closer::sendHeadersOnce);
    CompletableFuture<Object> result;
    ServerContext previous = ServerContext.attach(context);
    try {
      result = streams == null ? method.invoke(invocation) : method.invoke(invocation, streams);
    } finally {
      ServerContext.detach(previous);
    }
    if (result.isDone() && !result.isCompletedExceptionally()) { // a synchronous method that returned: answer now
      closer.accept(result.getNow(null), null);
      return;
    }
    // end the call with the reason it was cancelled (CANCELLED, DEADLINE_EXCEEDED), not a bare CancellationException
    // (only while the call runs: the dispatcher cancels every context when its call closes, and an exception per
    // call for a future already complete would cost a stack trace each time)
    context.onCancel(() -> {
      if (!result.isDone()) {
        result.completeExceptionally(context.cancellationStatus().asException());
      }
    });
    result.whenComplete(closer);
  }

  /**
   * Closes a call once, whoever gets there first; counts it out of the in-flight total. Also the task that runs the
   * call on its executor, and the callback of the implementation's future: one object per call for all three.
   */
  private final class CallCloser implements ConnectionCalls.Task, BiConsumer<Object, Throwable> {
    private final ServerCall call;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean headersSent = new AtomicBoolean();
    volatile ServerContext context;
    ExportedMethod method; // set before the task is handed to the executor
    CallHead head; // likewise
    ConnectionCalls share; // likewise; null when the call takes no connection's share

    CallCloser(ServerCall call) {
      this.call = call;
    }

    /** Runs the call on the executor's thread, then gives its connection's worker share to the next call. */
    @Override
    public void run() {
      try {
        ServerDispatcher.this.run(method, call, this);
      } finally {
        if (share != null) {
          share.left();
        }
      }
    }

    @Override
    public Executor executor() {
      return method.executor;
    }

    @Override
    public void rejected(RejectedExecutionException e) {
      error(Status.RESOURCE_EXHAUSTED.withDescription("server is busy: " + poolDescription
          + " is full; retry later or raise the server's worker limit"), Metadata.EMPTY);
    }

    @Override
    public void abandoned() {
      error(Status.CANCELLED.withDescription("the connection closed before " + method.descriptor.fullName()
          + " got a worker"), Metadata.EMPTY);
    }

    /** The implementation's future completed. */
    @Override
    public void accept(Object value, Throwable error) {
      ServerContext c = context;
      if (error == null) {
        response(value, c.trailers());
      } else {
        RpcException failure = ApplicationExceptions.toRpcException(error, method.descriptor);
        if (method.descriptor.isOneWay() || log.isDebugEnabled()) {
          log.debug("{} failed: {}", method.descriptor.fullName(), failure.status(), Status.unwrap(error));
        }
        error(failure.status(), c.trailers().withAll(failure.trailers()));
      }
    }

    /** Hands the service's response headers and compression to the transport, once, before anything is sent. */
    void sendHeadersOnce() {
      ServerContext c = context;
      if (c != null && headersSent.compareAndSet(false, true)) {
        if (c.responseCompression() != null) {
          call.setCompression(c.responseCompression());
        }
        if (!c.responseHeaders().isEmpty()) {
          call.sendHeaders(c.responseHeaders());
        }
      }
    }

    void response(Object value, Metadata trailers) {
      if (closed.compareAndSet(false, true)) {
        try {
          sendHeadersOnce();
          call.sendResponse(value, trailers);
        } finally {
          done();
        }
      }
    }

    void error(Status status, Metadata trailers) {
      if (closed.compareAndSet(false, true)) {
        try {
          sendHeadersOnce();
          call.sendError(status, trailers);
        } finally {
          done();
        }
      }
    }

    private void done() {
      if (inFlight.decrementAndGet() == 0 && !idleWaiters.isEmpty()) {
        completeIdleWaiters();
      }
      ServerContext c = context;
      if (c != null) {
        c.cancel(CALL_CLOSED);
      }
    }
  }
}
