package io.courier.transport.http2;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import io.courier.testing.RpcServerExtension;
import io.grpc.reflection.v1alpha.ServerReflectionGrpc;
import io.grpc.reflection.v1alpha.ServerReflectionRequest;
import io.grpc.reflection.v1alpha.ServerReflectionResponse;
import io.grpc.reflection.v1alpha.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code grpc.reflection.v1alpha.ServerReflection}, as grpc-java's v1alpha client sees it, answers as v1 does. */
class ReflectionV1AlphaTest {

  @RegisterExtension
  static final RpcServerExtension server = RpcServerExtension.of(ReflectionTest::withReflection);

  private final ReflectionTest servers = new ReflectionTest();

  @AfterEach
  void close() throws Exception {
    servers.close();
  }

  @Test
  void v1alphaListsAndDescribesAsV1() throws Exception {
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(servers.channel(server.server()))
        .withDeadlineAfter(10, TimeUnit.SECONDS).serverReflectionInfo(ReflectionTest.collect(received));
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onNext(ServerReflectionRequest.newBuilder().setFileContainingSymbol(ReflectionTest.CATALOG).build());
    requests.onNext(ServerReflectionRequest.newBuilder().setFileContainingSymbol("no.Such").build());
    requests.onCompleted();

    Object list = received.poll(10, TimeUnit.SECONDS);
    assertThat(list).isInstanceOf(ServerReflectionResponse.class);
    assertThat(((ServerReflectionResponse) list).getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName).containsExactly(ReflectionTest.CATALOG, "courier.reflectiontest.Shelf",
            "courier.reflectiontest.Counter", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection");

    Object file = received.poll(10, TimeUnit.SECONDS);
    assertThat(file).isInstanceOf(ServerReflectionResponse.class);
    ServerReflectionResponse files = (ServerReflectionResponse) file;
    assertThat(files.getOriginalRequest().getFileContainingSymbol()).isEqualTo(ReflectionTest.CATALOG);
    assertThat(FileDescriptorProto.parseFrom(files.getFileDescriptorResponse().getFileDescriptorProto(0)).getName())
        .isEqualTo("courier/reflectiontest/catalog.proto");
    assertThat(files.getFileDescriptorResponse().getFileDescriptorProtoCount()).isEqualTo(4);

    Object notFound = received.poll(10, TimeUnit.SECONDS);
    assertThat(notFound).isInstanceOf(ServerReflectionResponse.class);
    assertThat(((ServerReflectionResponse) notFound).getErrorResponse().getErrorCode()).isEqualTo(5);

    assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(ReflectionTest.COMPLETED);
  }
}
