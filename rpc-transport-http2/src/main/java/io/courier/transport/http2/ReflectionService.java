package io.courier.transport.http2;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import io.courier.common.MethodDescriptor;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.common.StreamObserver;
import io.courier.server.CallHead;
import io.courier.server.InternalServerDispatch;
import io.courier.server.ServerInterceptor;
import io.courier.transport.ServerCall;
import io.courier.transport.ServerCallHandler;
import io.courier.transport.ServerConnection;
import io.courier.transport.http2.reflection.v1.ErrorResponse;
import io.courier.transport.http2.reflection.v1.ExtensionNumberResponse;
import io.courier.transport.http2.reflection.v1.ExtensionRequest;
import io.courier.transport.http2.reflection.v1.FileDescriptorResponse;
import io.courier.transport.http2.reflection.v1.ListServiceResponse;
import io.courier.transport.http2.reflection.v1.ServerReflectionRequest;
import io.courier.transport.http2.reflection.v1.ServerReflectionResponse;
import io.courier.transport.http2.reflection.v1.ServiceResponse;
import io.netty.util.Timer;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * gRPC server reflection ({@link GrpcReflection}, {@link GrpcReflectionV1Alpha}) for an {@code http2} server with
 * {@link Http2Options#REFLECTION}, served through Courier's own dispatch on the I/O thread (every answer comes from
 * a {@link ReflectionIndex} built at start, so it never blocks), behind the server's interceptors like any call.
 * Also the {@link ServerCallHandler} that puts it next to the server's other services, as {@link HealthService}
 * does: the services behind it answer first, so an application that exports a reflection service itself wins.
 *
 * <p>Each request gets one response, in order, as grpc-java's {@code ProtoReflectionService} answers: files come
 * with all their dependencies (the one asked for first), and what is not found gets an {@code error_response}
 * with {@code NOT_FOUND}, the stream going on.
 */
final class ReflectionService implements ServerCallHandler {

  private static final ServiceDescriptor V1 = ServiceDescriptor.of(GrpcReflection.class);
  private static final ServiceDescriptor V1ALPHA = ServiceDescriptor.of(GrpcReflectionV1Alpha.class);

  private final ServerCallHandler next;
  private final ServerCallHandler own;
  private final ReflectionIndex index;

  /**
   * @param next the server's services: the application's and Courier's {@link GrpcHealth} (listed unless the
   *     application exports its own health service), answered first
   * @param application the application's services, whose server-wide interceptors admit reflection calls
   * @throws IllegalArgumentException if a service's declaration in a {@code .proto} file disagrees with its Java
   *     interface
   */
  ReflectionService(ServerCallHandler next, ServerCallHandler application, Timer timer, ReflectionFiles files) {
    this.next = next;
    List<ServerInterceptor> interceptors = InternalServerDispatch.serverInterceptors(application);
    List<InternalServerDispatch.Service> exports = new ArrayList<>();
    if (!next.hasService(V1.name())) {
      exports.add(new InternalServerDispatch.Service(V1, new V1Impl()));
    }
    if (!next.hasService(V1ALPHA.name())) {
      exports.add(new InternalServerDispatch.Service(V1ALPHA, new ReflectionV1Alpha(this::answerEncoded)));
    }
    this.own = InternalServerDispatch.onIoThread(exports, interceptors, timer);
    List<ServiceDescriptor> listed = new ArrayList<>(application.services());
    if (!application.hasService(ServiceDescriptor.of(GrpcHealth.class).name())) {
      listed.add(ServiceDescriptor.of(GrpcHealth.class));
    }
    listed.addAll(own.services());
    this.index = ReflectionIndex.of(listed, files.files());
  }

  // ---- the reflection services ----

  private final class V1Impl implements GrpcReflection {
    @Override
    public StreamObserver<ServerReflectionRequest> serverReflectionInfo(
        StreamObserver<ServerReflectionResponse> responses) {
      return answerEach(responses, ReflectionService.this::answer);
    }
  }

  /**
   * The requests of a reflection stream, each answered by {@code answer} at once; the stream ends when the client's
   * does.
   */
  static <Q, A> StreamObserver<Q> answerEach(StreamObserver<A> responses, Function<Q, A> answer) {
    return new StreamObserver<>() {
      @Override
      public void onNext(Q request) {
        responses.onNext(answer.apply(request));
      }

      @Override
      public void onError(Throwable error) {
        // the call is over (cancelled or failed): nothing to answer
      }

      @Override
      public void onCompleted() {
        responses.onCompleted();
      }
    };
  }

  /** The encoded response to an encoded request (for v1alpha, whose messages are v1's). */
  private ByteString answerEncoded(ByteString request) {
    try {
      return answer(ServerReflectionRequest.parseFrom(request)).toByteString();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a v1alpha reflection request is not a v1 one", e);
    }
  }

  /** The response to one request. */
  ServerReflectionResponse answer(ServerReflectionRequest request) {
    ServerReflectionResponse.Builder response = ServerReflectionResponse.newBuilder().setValidHost(request.getHost())
        .setOriginalRequest(request);
    switch (request.getMessageRequestCase()) {
      case LIST_SERVICES -> {
        ListServiceResponse.Builder list = ListServiceResponse.newBuilder();
        index.services().forEach(name -> list.addService(ServiceResponse.newBuilder().setName(name)));
        response.setListServicesResponse(list);
      }
      case FILE_BY_FILENAME -> files(response, index.file(request.getFileByFilename()),
          "file " + request.getFileByFilename());
      case FILE_CONTAINING_SYMBOL -> files(response, index.fileDeclaring(request.getFileContainingSymbol()),
          "symbol " + request.getFileContainingSymbol());
      case FILE_CONTAINING_EXTENSION -> {
        ExtensionRequest extension = request.getFileContainingExtension();
        files(response, index.fileExtending(extension.getContainingType(), extension.getExtensionNumber()),
            "extension " + extension.getExtensionNumber() + " of " + extension.getContainingType());
      }
      case ALL_EXTENSION_NUMBERS_OF_TYPE -> {
        String type = request.getAllExtensionNumbersOfType();
        Set<Integer> numbers = index.extensionNumbers(type);
        if (numbers == null) {
          error(response, StatusCode.NOT_FOUND, "message type " + type + " not found");
        } else {
          response.setAllExtensionNumbersResponse(ExtensionNumberResponse.newBuilder().setBaseTypeName(type)
              .addAllExtensionNumber(numbers));
        }
      }
      default -> error(response, StatusCode.UNIMPLEMENTED, "request " + request.getMessageRequestCase()
          + " is not supported (expected: list_services, file_by_filename, file_containing_symbol,"
          + " file_containing_extension or all_extension_numbers_of_type)");
    }
    return response.build();
  }

  private void files(ServerReflectionResponse.Builder response, FileDescriptor file, String what) {
    if (file == null) {
      error(response, StatusCode.NOT_FOUND, what + " not found");
    } else {
      response.setFileDescriptorResponse(FileDescriptorResponse.newBuilder()
          .addAllFileDescriptorProto(index.withDependencies(file)));
    }
  }

  private static void error(ServerReflectionResponse.Builder response, StatusCode code, String message) {
    response.setErrorResponse(ErrorResponse.newBuilder().setErrorCode(code.value()).setErrorMessage(message));
  }

  // ---- ServerCallHandler: the services behind, then these ----

  @Override
  public MethodDescriptor lookup(String service, String method) {
    MethodDescriptor found = next.lookup(service, method);
    if (found == null && isOwnService(service)) {
      found = own.lookup(service, method);
    }
    return found;
  }

  @Override
  public boolean hasService(String service) {
    return next.hasService(service) || own.hasService(service);
  }

  /** The application's services only, as {@link HealthService#services} says. */
  @Override
  public List<ServiceDescriptor> services() {
    return next.services();
  }

  @Override
  public Status unimplemented(String service, String method) {
    return isOwnService(service) ? own.unimplemented(service, method) : next.unimplemented(service, method);
  }

  @Override
  public ServerConnection openConnection(SocketAddress remoteAddress) {
    return next.openConnection(remoteAddress);
  }

  @Override
  public Status admit(ServerConnection connection, CallHead head) {
    return isOwn(head.method()) || head.method() == null && isOwnService(head.service())
        ? own.admit(connection, head) : next.admit(connection, head);
  }

  @Override
  public void handle(ServerCall call) {
    if (isOwn(call.method())) {
      own.handle(call);
    } else {
      next.handle(call);
    }
  }

  private boolean isOwnService(String service) {
    return own.hasService(service) && !next.hasService(service);
  }

  private boolean isOwn(MethodDescriptor method) {
    return method != null && (method.service() == V1 || method.service() == V1ALPHA)
        && isOwnService(method.service().name());
  }
}
