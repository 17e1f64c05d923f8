package io.courier.transport.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.courier.auth.BearerAuth;
import io.courier.server.RpcServer;
import io.courier.testing.RpcServerExtension;
import io.courier.transport.http2.ReflectionTestServices.Catalog;
import io.courier.transport.http2.ReflectionTestServices.Clash;
import io.courier.transport.http2.ReflectionTestServices.Counter;
import io.courier.transport.http2.ReflectionTestServices.Greeter;
import io.courier.transport.http2.ReflectionTestServices.Mismatched;
import io.courier.transport.http2.ReflectionTestServices.Notifier;
import io.courier.transport.http2.ReflectionTestServices.Shelf;
import io.courier.transport.http2.reflectiontest.Item;
import io.courier.transport.http2.reflectiontest.ItemQuery;
import io.courier.transport.http2.reflectiontest.ShelfProto;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ExtensionRequest;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServerReflectionResponse.MessageResponseCase;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * gRPC server reflection ({@link Http2Options#REFLECTION}) as grpc-java's own reflection client sees it: what is
 * listed, files with their dependencies, what is not found, off by default, behind the server's admission (v1alpha:
 * {@link ReflectionV1AlphaTest}).
 */
class ReflectionTest {

  static final String CATALOG = "courier.reflectiontest.Catalog";
  private static final ReflectionTestServices.Impl IMPL = new ReflectionTestServices.Impl();

  /** The server most tests ask: every test service, with reflection and the extra files. */
  @RegisterExtension
  static final RpcServerExtension reflecting = RpcServerExtension.of(ReflectionTest::withReflection);

  final List<AutoCloseable> closeAfter = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closeAfter.size() - 1; i >= 0; i--) {
      closeAfter.get(i).close();
    }
  }

  static RpcServer.Builder services() {
    return RpcServer.builder().host("127.0.0.1").listen("http2", 0)
        .service(Catalog.class, IMPL).service(Greeter.class, IMPL).service(Shelf.class, IMPL)
        .service(Notifier.class, IMPL).service(Counter.class, IMPL);
  }

  static RpcServer.Builder withReflection() {
    return services().option(Http2Options.REFLECTION, true)
        .option(Http2Options.REFLECTION_FILES, ReflectionFiles.of(ShelfProto.getDescriptor()));
  }

  ManagedChannel channel(RpcServer server) {
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
        InsecureChannelCredentials.create()).build();
    closeAfter.add(() -> channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    return channel;
  }

  /** A reflection client of {@link #reflecting}. */
  private Reflection reflection() {
    return new Reflection(channel(reflecting.server()), new Metadata());
  }

  /** A reflection client of a server of its own, built from {@code builder}. */
  private Reflection reflection(RpcServer.Builder builder) {
    RpcServer server = builder.build().start();
    closeAfter.add(server);
    return new Reflection(channel(server), new Metadata());
  }

  @Test
  void listsTheProtobufTypedServicesHealthAndItself() throws Exception {
    Reflection reflection = reflection();
    ServerReflectionResponse answer = reflection.ask(ServerReflectionRequest.newBuilder().setHost("localhost")
        .setListServices("*").build());
    assertThat(answer.getListServicesResponse().getServiceList()).extracting(ServiceResponse::getName).containsExactly(
        CATALOG, "courier.reflectiontest.Shelf", "courier.reflectiontest.Counter", "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");
    assertThat(answer.getValidHost()).isEqualTo("localhost");
    assertThat(answer.getOriginalRequest().getListServices()).isEqualTo("*");
    reflection.finish();
  }

  @Test
  void describesASymbolWithEveryFileItImportsTransitively() throws Exception {
    Reflection reflection = reflection();
    List<FileDescriptorProto> files = reflection.files(symbol(CATALOG + ".Watch"));
    assertThat(files).extracting(FileDescriptorProto::getName).containsExactly("courier/reflectiontest/catalog.proto",
        "courier/reflectiontest/base.proto", "courier/reflectiontest/extensions.proto",
        "google/protobuf/timestamp.proto");
    Descriptors.ServiceDescriptor catalog = build(files).findServiceByName("Catalog");
    Descriptors.MethodDescriptor watch = catalog.findMethodByName("Watch");
    assertThat(watch.getInputType().getFullName()).isEqualTo("courier.reflectiontest.ItemQuery");
    assertThat(watch.getOutputType().getFullName()).isEqualTo("courier.reflectiontest.Item");
    assertThat(watch.isServerStreaming()).isTrue();
    assertThat(watch.isClientStreaming()).isFalse();
    assertThat(catalog.findMethodByName("Restock")).as("declared in the .proto, not in Java").isNotNull();
    MethodDescriptor<ItemQuery, Item> restock = MethodDescriptor.<ItemQuery, Item>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(CATALOG + "/Restock")
        .setRequestMarshaller(ProtoUtils.marshaller(ItemQuery.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(Item.getDefaultInstance())).build();
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(reflection.channel, restock,
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), ItemQuery.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));

    assertThat(reflection.files(symbol("courier.reflectiontest.Item.Kind")).get(0).getName())
        .isEqualTo("courier/reflectiontest/catalog.proto");
    assertThat(reflection.files(symbol("courier.reflectiontest.Base")).get(0).getName())
        .isEqualTo("courier/reflectiontest/base.proto");
    assertThat(reflection.files(ServerReflectionRequest.newBuilder()
        .setFileByFilename("courier/reflectiontest/base.proto").build())).extracting(FileDescriptorProto::getName)
        .containsExactly("courier/reflectiontest/base.proto", "google/protobuf/timestamp.proto");
    reflection.finish();
  }

  @Test
  void aServiceDeclaredInAFileOfItsOwnIsFoundInTheReflectionFiles() throws Exception {
    Reflection reflection = reflection();
    List<FileDescriptorProto> files = reflection.files(symbol("courier.reflectiontest.Shelf"));
    assertThat(files.get(0).getName()).isEqualTo("courier/reflectiontest/shelf.proto");
    Descriptors.MethodDescriptor put = build(files).findServiceByName("Shelf").findMethodByName("Put");
    assertThat(put.isClientStreaming()).isTrue();
    assertThat(put.isServerStreaming()).isFalse();

    Reflection withoutFiles = reflection(services().option(Http2Options.REFLECTION, true));
    List<FileDescriptorProto> written = withoutFiles.files(symbol("courier.reflectiontest.Shelf"));
    assertThat(written.get(0).getName()).as("without the file, a declaration written from the interface")
        .isEqualTo("courier/services/courier.reflectiontest.Shelf.proto");
  }

  @Test
  void aServiceDeclaredNowhereIsDescribedFromItsJavaInterface() throws Exception {
    Reflection reflection = reflection();
    List<FileDescriptorProto> files = reflection.files(symbol("courier.reflectiontest.Counter.Tally"));
    FileDescriptorProto written = files.get(0);
    assertThat(written.getName()).isEqualTo("courier/services/courier.reflectiontest.Counter.proto");
    assertThat(written.getPackage()).isEqualTo("courier.reflectiontest");
    assertThat(written.getDependencyList()).containsExactly("courier/reflectiontest/catalog.proto");
    assertThat(files).extracting(FileDescriptorProto::getName).contains("google/protobuf/timestamp.proto");
    Descriptors.MethodDescriptor tally = build(files).findServiceByName("Counter").findMethodByName("Tally");
    assertThat(tally.getInputType().getFullName()).isEqualTo("courier.reflectiontest.ItemQuery");
    assertThat(tally.getOutputType().getFullName()).isEqualTo("courier.reflectiontest.Item");
    assertThat(tally.isClientStreaming()).isTrue();
    assertThat(tally.isServerStreaming()).isTrue();
    reflection.finish();
  }

  @Test
  void aServiceProtobufCannotDeclareIsNotListed() throws Exception {
    Reflection reflection = reflection(withReflection().service(Clash.class, IMPL));
    assertThat(reflection.ask(ServerReflectionRequest.newBuilder().setListServices("").build())
        .getListServicesResponse().getServiceList()).extracting(ServiceResponse::getName)
        .doesNotContain("courier.reflectiontest.Item").contains(CATALOG);
    assertThat(reflection.files(symbol("courier.reflectiontest.Item")).get(0).getName())
        .as("the message of that name").isEqualTo("courier/reflectiontest/catalog.proto");
    reflection.finish();
  }

  @Test
  void whatIsNotFoundIsAnsweredNotFoundAndTheStreamGoesOn() throws Exception {
    Reflection reflection = reflection();
    reflection.notFound(symbol("courier.reflectiontest.NoSuch"));
    reflection.notFound(symbol("courier.reflectiontest.Greeter"));
    reflection.notFound(symbol("courier.reflectiontest.Notifier"));
    reflection.notFound(ServerReflectionRequest.newBuilder().setFileByFilename("no/such.proto").build());
    reflection.notFound(extension("courier.reflectiontest.Base", 101));
    reflection.notFound(ServerReflectionRequest.newBuilder().setAllExtensionNumbersOfType("no.Such").build());
    assertThat(reflection.ask(ServerReflectionRequest.newBuilder().setListServices("").build())
        .getListServicesResponse().getServiceCount()).isEqualTo(6);
    reflection.finish();
  }

  @Test
  void extensionsAreFoundByTypeAndNumber() throws Exception {
    Reflection reflection = reflection();
    assertThat(reflection.files(extension("courier.reflectiontest.Base", 150)).get(0).getName())
        .isEqualTo("courier/reflectiontest/extensions.proto");
    assertThat(reflection.ask(ServerReflectionRequest.newBuilder()
        .setAllExtensionNumbersOfType("courier.reflectiontest.Base").build()).getAllExtensionNumbersResponse()
        .getExtensionNumberList()).containsExactly(100, 150);
    assertThat(reflection.ask(ServerReflectionRequest.newBuilder()
        .setAllExtensionNumbersOfType("courier.reflectiontest.Item").build()).getAllExtensionNumbersResponse()
        .getExtensionNumberList()).isEmpty();
    assertThat(reflection.files(symbol("courier.reflectiontest.note")).get(0).getName())
        .isEqualTo("courier/reflectiontest/extensions.proto");
    reflection.finish();
  }

  @Test
  void reflectionIsOffByDefault() throws Exception {
    RpcServer server = services().build().start();
    closeAfter.add(server);
    Reflection reflection = new Reflection(channel(server), new Metadata());
    assertThat(reflection.failure(ServerReflectionRequest.newBuilder().setListServices("").build()).getCode())
        .isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void reflectionCallsGoThroughTheServersAdmission() throws Exception {
    RpcServer server = withReflection().interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of("t0ken",
        "tool")))).build().start();
    closeAfter.add(server);
    ManagedChannel channel = channel(server);
    ServerReflectionRequest list = ServerReflectionRequest.newBuilder().setListServices("").build();
    assertThat(new Reflection(channel, new Metadata()).failure(list).getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    Metadata wrong = new Metadata();
    wrong.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer wrong");
    assertThat(new Reflection(channel, wrong).failure(list).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    Metadata token = new Metadata();
    token.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer t0ken");
    Reflection admitted = new Reflection(channel, token);
    assertThat(admitted.ask(list).getListServicesResponse().getServiceCount()).isEqualTo(6);
    admitted.finish();
  }

  @Test
  void aDeclarationThatDisagreesWithItsInterfaceFailsTheStart() {
    RpcServer.Builder builder = withReflection().service(Mismatched.class, IMPL);
    assertThatThrownBy(() -> builder.build().start()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("courier.reflectiontest.Mismatched/Get")
        .hasMessageContaining("(courier.reflectiontest.Item) returns (courier.reflectiontest.Item)")
        .hasMessageContaining("expected: (courier.reflectiontest.ItemQuery) returns (courier.reflectiontest.Item)");
    RpcServer withoutReflection = services().service(Mismatched.class, IMPL).build().start();
    withoutReflection.close();
  }

  @Test
  void reflectionFilesWithoutReflectionFailTheStart() {
    RpcServer.Builder builder = services()
        .option(Http2Options.REFLECTION_FILES, ReflectionFiles.of(ShelfProto.getDescriptor()));
    assertThatThrownBy(() -> builder.build().start()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http2.reflectionFiles").hasMessageContaining("http2.reflection is false");
  }

  // ---- helpers ----

  private static ServerReflectionRequest symbol(String name) {
    return ServerReflectionRequest.newBuilder().setFileContainingSymbol(name).build();
  }

  private static ServerReflectionRequest extension(String type, int number) {
    return ServerReflectionRequest.newBuilder().setFileContainingExtension(ExtensionRequest.newBuilder()
        .setContainingType(type).setExtensionNumber(number)).build();
  }

  /** Builds the first file from the protos a response carried, as a reflection client does. */
  private static FileDescriptor build(List<FileDescriptorProto> files) throws Exception {
    Map<String, FileDescriptorProto> byName = new HashMap<>();
    files.forEach(file -> byName.put(file.getName(), file));
    return build(files.get(0), byName, new HashMap<>());
  }

  private static FileDescriptor build(FileDescriptorProto file, Map<String, FileDescriptorProto> byName,
      Map<String, FileDescriptor> built) throws Exception {
    FileDescriptor done = built.get(file.getName());
    if (done != null) {
      return done;
    }
    List<FileDescriptor> dependencies = new ArrayList<>();
    for (String dependency : file.getDependencyList()) {
      assertThat(byName).as("the response carries %s, which %s imports", dependency, file.getName())
          .containsKey(dependency);
      dependencies.add(build(byName.get(dependency), byName, built));
    }
    FileDescriptor descriptor = FileDescriptor.buildFrom(file, dependencies.toArray(new FileDescriptor[0]));
    built.put(file.getName(), descriptor);
    return descriptor;
  }

  static final Object COMPLETED = "completed";

  static <T> StreamObserver<T> collect(BlockingQueue<Object> into) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        into.add(value);
      }

      @Override
      public void onError(Throwable t) {
        into.add(t);
      }

      @Override
      public void onCompleted() {
        into.add(COMPLETED);
      }
    };
  }

  /** One ServerReflectionInfo stream of grpc-java's v1 stub, asked one request at a time. */
  /**
   * A graceful shutdown waits, within its grace, for a reflection stream the way it waits for calls: the stream keeps
   * being answered after the shutdown began, and the shutdown completes once the client ended it, not before. (The
   * drain is the connection's: after GOAWAY it closes once no stream of any kind is open, so the reflection service's
   * own dispatch, which the server's call count leaves out, needs no count of its own.)
   */
  @Test
  void aShutdownWaitsForAnOpenReflectionStream() throws Exception {
    RpcServer server = withReflection().build().start();
    closeAfter.add(server);
    Reflection reflection = new Reflection(channel(server), new Metadata());
    ServerReflectionRequest list = ServerReflectionRequest.newBuilder().setListServices("*").build();
    assertThat(reflection.ask(list).getListServicesResponse().getServiceCount()).isPositive();

    CompletableFuture<Void> shutdown = server.shutdown(Duration.ofSeconds(20));
    assertThat(reflection.ask(list).getListServicesResponse().getServiceCount())
        .as("answered after the shutdown began").isPositive();
    assertThat(shutdown).as("the shutdown waits for the open stream").isNotDone();
    assertThat(reflection.ask(list).getListServicesResponse().getServiceCount()).isPositive();
    reflection.finish();
    shutdown.get(10, TimeUnit.SECONDS);
  }

  private static final class Reflection {
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final StreamObserver<ServerReflectionRequest> requests;
    final ManagedChannel channel;

    Reflection(ManagedChannel channel, Metadata headers) {
      this.channel = channel;
      requests = ServerReflectionGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .serverReflectionInfo(collect(received));
    }

    ServerReflectionResponse ask(ServerReflectionRequest request) throws Exception {
      requests.onNext(request);
      Object answer = received.poll(10, TimeUnit.SECONDS);
      assertThat(answer).as("the answer to %s", request).isInstanceOf(ServerReflectionResponse.class);
      ServerReflectionResponse response = (ServerReflectionResponse) answer;
      assertThat(response.getOriginalRequest()).isEqualTo(request);
      return response;
    }

    List<FileDescriptorProto> files(ServerReflectionRequest request) throws Exception {
      ServerReflectionResponse response = ask(request);
      assertThat(response.getMessageResponseCase()).as("the answer to %s: %s", request, response)
          .isEqualTo(MessageResponseCase.FILE_DESCRIPTOR_RESPONSE);
      List<FileDescriptorProto> files = new ArrayList<>();
      for (ByteString bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
        files.add(FileDescriptorProto.parseFrom(bytes));
      }
      return files;
    }

    void notFound(ServerReflectionRequest request) throws Exception {
      ServerReflectionResponse response = ask(request);
      assertThat(response.getMessageResponseCase()).as("the answer to %s", request)
          .isEqualTo(MessageResponseCase.ERROR_RESPONSE);
      assertThat(response.getErrorResponse().getErrorCode()).isEqualTo(Status.Code.NOT_FOUND.value());
      assertThat(response.getErrorResponse().getErrorMessage()).contains("not found");
    }

    Status failure(ServerReflectionRequest request) throws Exception {
      requests.onNext(request);
      Object answer = received.poll(10, TimeUnit.SECONDS);
      assertThat(answer).as("the call's failure").isInstanceOf(StatusRuntimeException.class);
      return ((StatusRuntimeException) answer).getStatus();
    }

    void finish() throws Exception {
      requests.onCompleted();
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(COMPLETED);
    }
  }
}
