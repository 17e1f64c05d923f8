package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.Invocation;
import io.courier.common.CallOptions;
import io.courier.common.Deadline;
import io.courier.common.Endpoint;
import io.courier.common.RpcException;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.server.RpcServer;
import io.courier.testing.EchoService;
import io.courier.testing.EchoServiceImpl;
import io.courier.testing.Polling;
import io.courier.testing.TestInvocations;
import io.courier.transport.ClientTransport;
import io.courier.transport.TransportContext;
import io.courier.transport.TransportOptions;
import io.courier.transport.Transports;
import io.netty.util.HashedWheelTimer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 client's connection pool when its provider leaves: what waits for a connection is not kept. */
class RestClientPoolTest {

  private final EchoServiceImpl echo = new EchoServiceImpl();
  private final SerializerSet serializers = SerializerSet.load(TypeAllowlist.withDefaults());
  private final HashedWheelTimer timer = new HashedWheelTimer();
  private final RpcServer server = RpcServer.builder().host("127.0.0.1").listen("rest", 0)
      .service(EchoService.class, echo).build().start();
  private final ClientTransport client = Transports.find("rest").newClientTransport(new TransportContext(
      serializers, TransportOptions.DEFAULT.with(RestOptions.MAX_CONNECTIONS_PER_ENDPOINT, 1), timer));

  @AfterEach
  void closeAll() {
    echo.wake.get().countDown();
    client.close();
    server.close();
    timer.stop();
  }

  @Test
  void aCallWaitingForAConnectionFailsUnsentWhenThePoolLetGoOfLosesItsLastConnection() throws Exception {
    Endpoint endpoint = new Endpoint("127.0.0.1", server.port());
    Invocation sleeping = invocation("sleep", 30_000L);
    CompletableFuture<Object> first = client.call(endpoint, sleeping);
    Polling.await("the first call to run", () -> !echo.sleepers.isEmpty());
    CompletableFuture<Object> waiting = client.call(endpoint, invocation("echo", "second"));

    client.disconnect(endpoint); // the provider left the registry
    sleeping.cancel(Status.CANCELLED.withDescription("the caller gave up")); // which closes its connection

    assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
          assertThat(e.getMessage()).contains("closed before").contains("was sent");
        });
    assertThat(first).isCompletedExceptionally();
  }

  private Invocation invocation(String method, Object argument) {
    return TestInvocations.unary(ServiceDescriptor.of(EchoService.class).method(method), new Object[] {argument},
        CallOptions.DEFAULT, serializers.byName("json")).withDeadline(Deadline.after(Duration.ofSeconds(30)));
  }
}
