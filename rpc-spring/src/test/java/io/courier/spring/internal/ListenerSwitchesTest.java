package io.courier.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.spring.RpcServerBuilderCustomizer;
import io.courier.spring.fixtures.ProviderApp;
import io.courier.transport.http2.Http2Options;
import io.courier.transport.rest.RestBinding;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code courier.server.transports.http2.reflection} and {@code .rest.describe-services} reach the running server:
 * asked over a real socket, it answers with the switch on and refuses with it off (the default).
 */
class ListenerSwitchesTest {

  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @Test
  void reflectionOnAnswersAStockGrpcReflectionClient() throws Exception {
    try (ConfigurableApplicationContext provider = provider("courier.server.transports.http2.port=0",
        "courier.server.transports.http2.reflection=true")) {
      Object answer = listServices(port(provider, "http2"));
      assertThat(answer).as("the answer to list_services").isInstanceOf(ServerReflectionResponse.class);
      assertThat(((ServerReflectionResponse) answer).getListServicesResponse().getServiceList())
          .extracting(ServiceResponse::getName)
          .contains("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");
    }
  }

  @Test
  void reflectionIsOffByDefaultAndThenUnimplemented() throws Exception {
    try (ConfigurableApplicationContext provider = provider("courier.server.transports.http2.port=0")) {
      Object answer = listServices(port(provider, "http2"));
      assertThat(answer).as("the failure of list_services").isInstanceOfSatisfying(StatusRuntimeException.class,
          e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }
  }

  @Test
  void describeServicesOnAnswersTheDescribeEndpoint() throws Exception {
    try (ConfigurableApplicationContext provider = provider("courier.server.transports.rest.port=0",
        "courier.server.transports.rest.describe-services=true")) {
      HttpResponse<String> all = get(port(provider, "rest"), "/courier/services");
      assertThat(all.statusCode()).isEqualTo(200);
      assertThat(all.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(all.body()).contains("\"spring.test.Greeter\"").contains("\"spring.test.Gate\"");
      HttpResponse<String> one = get(port(provider, "rest"), "/courier/services/spring.test.Greeter");
      assertThat(one.statusCode()).isEqualTo(200);
      assertThat(one.body()).contains("\"greet\"");
    }
  }

  @Test
  void describeServicesIsOffByDefaultAndThenNotFound() throws Exception {
    try (ConfigurableApplicationContext provider = provider("courier.server.transports.rest.port=0")) {
      assertThat(get(port(provider, "rest"), "/courier/services").statusCode()).isEqualTo(404);
      assertThat(get(port(provider, "rest"), "/courier/services/spring.test.Greeter").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void bothSwitchesOnTheirOwnListenersOfOneServer() throws Exception {
    try (ConfigurableApplicationContext provider = provider(RestOnHttp2.class,
        "courier.server.transports.http2.port=0", "courier.server.transports.http2.reflection=true",
        "courier.server.transports.rest.port=0", "courier.server.transports.rest.describe-services=true")) {
      assertThat(listServices(port(provider, "http2"))).isInstanceOf(ServerReflectionResponse.class);
      assertThat(get(port(provider, "rest"), "/courier/services").statusCode()).isEqualTo(200);
      assertThat(get(port(provider, "http2"), "/courier/services").statusCode())
          .as("the http2 port, given a REST binding by a customizer, describes too").isEqualTo(200);
    }
  }

  @Test
  void aCustomizerThatLeavesHttp2WithoutRestFailsStartUpNamingTheServer() {
    SpringApplicationBuilder builder = builder(UnrelatedCustomizer.class, "courier.server.transports.http2.port=0",
        "courier.server.transports.rest.port=0", "courier.server.transports.rest.describe-services=true");
    assertThatThrownBy(builder::run).satisfies(failure -> {
      CourierConfigurationException cause = find(failure);
      assertThat(cause.property()).isEqualTo("courier.server");
      assertThat(cause.getMessage()).contains("rest.describeServices");
      assertThat(cause.action()).contains("RpcServerBuilderCustomizer");
    });
  }

  // ---- helpers ----

  private static ConfigurableApplicationContext provider(String... properties) {
    return builder(null, properties).run();
  }

  private static ConfigurableApplicationContext provider(Class<?> extra, String... properties) {
    return builder(extra, properties).run();
  }

  /** The provider application (with {@code extra} configuration, if not null) on the loopback interface. */
  private static SpringApplicationBuilder builder(Class<?> extra, String... properties) {
    SpringApplicationBuilder builder = extra == null ? new SpringApplicationBuilder(ProviderApp.class)
        : new SpringApplicationBuilder(ProviderApp.class, extra);
    return builder.properties("spring.main.web-application-type=none", "courier.server.host=127.0.0.1")
        .properties(properties);
  }

  private static int port(ConfigurableApplicationContext provider, String transport) {
    return provider.getBean(ServerLifecycle.class).server().port(transport);
  }

  /** One list_services request of grpc-java's v1 reflection stub: its response, or the call's failure. */
  private static Object listServices(int port) throws InterruptedException {
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
        .build();
    try {
      BlockingQueue<Object> received = new LinkedBlockingQueue<>();
      StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
          .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse value) {
              received.add(value);
            }

            @Override
            public void onError(Throwable t) {
              received.add(t);
            }

            @Override
            public void onCompleted() {
              received.add("completed");
            }
          });
      requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
      Object answer = received.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(answer).as("an answer within " + DEADLINE).isNotNull();
      requests.onCompleted();
      return answer;
    } finally {
      channel.shutdownNow().awaitTermination(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(DEADLINE).build();
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(DEADLINE)
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static CourierConfigurationException find(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CourierConfigurationException c) {
        return c;
      }
    }
    throw new AssertionError("no CourierConfigurationException in " + failure, failure);
  }

  /** Gives the http2 port a REST binding, so that it serves (and describes) REST too. */
  @Configuration(proxyBeanMethods = false)
  static class RestOnHttp2 {
    @Bean
    RpcServerBuilderCustomizer restOnHttp2() {
      return b -> b.option(Http2Options.HTTP1_HANDLER, new RestBinding());
    }
  }

  /** A customizer that changes nothing about REST. */
  @Configuration(proxyBeanMethods = false)
  static class UnrelatedCustomizer {
    @Bean
    RpcServerBuilderCustomizer workers() {
      return b -> b.workerThreads(4);
    }
  }
}
