package io.courier.spring;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import io.courier.client.RpcClient;
import io.courier.common.RpcService;
import io.courier.spring.fixtures.FriendlyGreeter;
import io.courier.spring.fixtures.Greeter;
import io.courier.testing.Polling;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.propagation.Propagator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * A trace crosses a Courier call: with Micrometer Tracing on Brave (the bridge Spring Boot uses) and W3C
 * propagation in both applications, the caller's trace id reaches the provider in {@code traceparent}, the provider's
 * span is a child of the caller's client span, and the service method runs inside that trace.
 */
class TracingTest {

  @RpcService(name = "spring.test.TraceEcho")
  public interface TraceEcho {
    /** The trace id current while the service method runs, or "none". */
    String currentTraceId();
  }

  @Test
  @SuppressWarnings("try") // the scope makes "checkout" the current span
  void theTraceIdIsTheSameOnBothSides() {
    try (ConfigurableApplicationContext provider = new SpringApplicationBuilder(TracedProvider.class).properties(
        "spring.main.web-application-type=none", "spring.application.name=provider",
        "courier.server.host=127.0.0.1", "courier.server.transports.tcp.port=0").run()) {
      int port = provider.getBean(io.courier.spring.internal.ServerLifecycle.class).server().port();
      try (ConfigurableApplicationContext consumer = new SpringApplicationBuilder(TracedConsumer.class).properties(
          "spring.main.web-application-type=none", "spring.application.name=consumer",
          "courier.client.addresses=127.0.0.1:" + port).run()) {
        RpcClient client = consumer.getBean(RpcClient.class);
        Greeter greeter = client.create(Greeter.class);
        TraceEcho echo = client.create(TraceEcho.class);
        Tracer tracer = consumer.getBean(Tracer.class);

        Span checkout = tracer.nextSpan().name("checkout").start();
        String traceparent;
        String traceIdInService;
        try (Tracer.SpanInScope scope = tracer.withSpan(checkout)) {
          traceparent = greeter.header("traceparent");
          traceIdInService = echo.currentTraceId();
        } finally {
          checkout.end();
        }
        String traceId = checkout.context().traceId();
        assertThat(traceparent).as("W3C traceparent in the call metadata")
            .matches("00-" + traceId + "-[0-9a-f]{16}-01");
        assertThat(traceIdInService).as("the trace the service method runs in").isEqualTo(traceId);

        Spans consumerSpans = consumer.getBean(Spans.class);
        Spans providerSpans = provider.getBean(Spans.class);
        Polling.await("the provider's spans (has " + providerSpans.finished + ")",
            () -> providerSpans.named("spring.test.greeter/header") != null);
        MutableSpan clientSpan = consumerSpans.named("spring.test.greeter/header");
        MutableSpan serverSpan = providerSpans.named("spring.test.greeter/header");
        assertThat(clientSpan.traceId()).isEqualTo(traceId);
        assertThat(clientSpan.parentId()).as("child of the caller's span").isEqualTo(checkout.context().spanId());
        assertThat(serverSpan.traceId()).isEqualTo(traceId);
        assertThat(serverSpan.parentId()).as("child of the client span").isEqualTo(clientSpan.id());
        assertThat(traceparent).contains(clientSpan.id());
        assertThat(clientSpan.kind()).isEqualTo(brave.Span.Kind.CLIENT);
        assertThat(serverSpan.kind()).isEqualTo(brave.Span.Kind.SERVER);
        assertThat(serverSpan.tags()).containsEntry("rpc.system", "courier").containsEntry("rpc.method", "header")
            .containsEntry("rpc.status_code", "OK");
      }
    }
  }

  /** The finished spans of one application. */
  static final class Spans extends SpanHandler {
    final List<MutableSpan> finished = new CopyOnWriteArrayList<>();

    @Override
    public boolean end(TraceContext context, MutableSpan span, Cause cause) {
      finished.add(span);
      return true;
    }

    MutableSpan named(String name) {
      return finished.stream().filter(s -> name.equalsIgnoreCase(s.name())).findFirst().orElse(null);
    }
  }

  /** Micrometer Tracing on Brave as Spring Boot sets it up (128-bit trace ids, W3C), every span sampled and kept. */
  @Configuration(proxyBeanMethods = false)
  static class BraveTracing {
    @Bean
    Spans spans() {
      return new Spans();
    }

    @Bean(destroyMethod = "close")
    Tracing braveTracing(Environment environment, Spans spans) {
      return Tracing.newBuilder().localServiceName(environment.getProperty("spring.application.name"))
          .traceId128Bit(true).propagationFactory(new W3CPropagation()).sampler(Sampler.ALWAYS_SAMPLE)
          .addSpanHandler(spans).build();
    }

    @Bean
    Tracer micrometerTracer(Tracing tracing) {
      return new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()),
          new BraveBaggageManager());
    }

    @Bean
    Propagator micrometerPropagator(Tracing tracing) {
      return new BravePropagator(tracing);
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(BraveTracing.class)
  static class TracedProvider {
    @Bean
    FriendlyGreeter greeter() {
      return new FriendlyGreeter("Hello");
    }

    @Bean
    TraceEcho traceEcho(Tracer tracer) {
      return () -> tracer.currentSpan() == null ? "none" : tracer.currentSpan().context().traceId();
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(BraveTracing.class)
  static class TracedConsumer {}
}
