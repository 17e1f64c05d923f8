package io.courier.bench.system.dubbo;

import io.courier.bench.driver.AsyncOperation;
import io.courier.bench.driver.BenchSystem;
import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import java.util.Map;
import java.util.function.Function;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;

/**
 * Apache Dubbo 3.3 through its API configuration, set up as apache/dubbo-benchmark sets up its peers
 * ({@code dubbo-*-server/src/main/resources/provider.xml}, {@code dubbo-*-client/src/main/resources/consumer.xml}): one
 * protocol, no registry ({@code N/A}, the client is given the provider's URL), the default filter chain removed
 * ({@code filter="-default"}) on both sides, the serialization (and, for kryo, its {@code optimizer}) on the protocol
 * and on the reference URL. Beyond that: QoS off, call timeout 30 s, no retries; otherwise Dubbo's defaults (netty4,
 * one shared connection per provider, its default thread pool), which is what dubbo-benchmark runs too.
 *
 * @param <S> the service interface the protocol carries
 */
abstract class DubboSystem<S> implements BenchSystem {

  private static final int TIMEOUT_MILLIS = 30_000;

  private final String name;
  private final String protocol;
  private final String serialization;
  private final Class<S> serviceType;
  private final String optimizer;

  DubboSystem(String name, String protocol, String serialization, Class<S> serviceType) {
    this(name, protocol, serialization, serviceType, null);
  }

  /** {@code optimizer}: a {@code SerializationOptimizer} class registering classes with the serialization, or null. */
  DubboSystem(String name, String protocol, String serialization, Class<S> serviceType, String optimizer) {
    this.name = name;
    this.protocol = protocol;
    this.serialization = serialization;
    this.serviceType = serviceType;
    this.optimizer = optimizer;
    System.setProperty("dubbo.application.qos-enable", "false");
    System.setProperty("dubbo.application.logger", "slf4j");
  }

  @Override
  public String name() {
    return name;
  }

  /** Runs first in {@link #startServer} and {@link #connect}, before Dubbo starts; nothing by default. */
  void beforeBootstrap() {}

  /** The implementation the server exports. */
  abstract S implementation();

  /** The shared calls of {@code workload} through {@code stub}. */
  abstract Operation call(S stub, Workload workload);

  /** The same calls through Dubbo's consumer-side async API, or null (then the open loop uses caller threads). */
  AsyncOperation callAsync(S stub, Workload workload) {
    return null;
  }

  @Override
  public RunningServer startServer(Endpoint at) {
    if (at.registry() != null) {
      throw new UnsupportedOperationException("the Dubbo peer runs without a registry");
    }
    beforeBootstrap();
    ProtocolConfig protocolConfig = new ProtocolConfig(protocol, at.port() == 0 ? -1 : at.port());
    protocolConfig.setHost(at.host());
    if (serialization != null) {
      protocolConfig.setSerialization(serialization);
    }
    if (optimizer != null) {
      protocolConfig.setOptimizer(optimizer);
    }
    ServiceConfig<S> service = new ServiceConfig<>();
    service.setInterface(serviceType);
    service.setRef(implementation());
    service.setFilter("-default");
    DubboBootstrap bootstrap = DubboBootstrap.newInstance();
    bootstrap.application(application(name + "-server"))
        .registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE))
        .protocol(protocolConfig)
        .service(service)
        .start();
    int port = service.getExportedUrls().get(0).getPort();
    return new RunningServer() {
      @Override
      public int port() {
        return port;
      }

      @Override
      public void close() {
        bootstrap.destroy();
      }
    };
  }

  @Override
  public Client connect(Endpoint target, int concurrency) {
    beforeBootstrap();
    ReferenceConfig<S> reference = new ReferenceConfig<>();
    reference.setInterface(serviceType);
    Map<String, String> parameters = new java.util.LinkedHashMap<>();
    if (serialization != null) {
      parameters.put("serialization", serialization);
    }
    if (optimizer != null) {
      parameters.put("optimizer", optimizer);
    }
    reference.setUrl(protocol + "://" + target.hostAndPort() + "/" + serviceType.getName()
        + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).toList())));
    if (!parameters.isEmpty()) {
      reference.setParameters(parameters);
    }
    reference.setTimeout(TIMEOUT_MILLIS);
    reference.setRetries(0);
    reference.setFilter("-default");
    DubboBootstrap bootstrap = DubboBootstrap.newInstance();
    bootstrap.application(application(name + "-client"))
        .registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE))
        .reference(reference)
        .start();
    S stub = reference.get();
    Function<Workload, Operation> calls = w -> call(stub, w);
    try {
      calls.apply(Workload.EXIST_USER).call(0); // connect now, not in the measured window
    } catch (Exception e) {
      bootstrap.destroy();
      throw new IllegalStateException("the first call to " + target.hostAndPort() + " failed", e);
    }
    return new Client() {
      @Override
      public Operation operation(Workload workload) {
        return calls.apply(workload);
      }

      @Override
      public AsyncOperation asyncOperation(Workload workload) {
        return callAsync(stub, workload);
      }

      @Override
      public void close() {
        bootstrap.destroy();
      }
    };
  }

  private static ApplicationConfig application(String name) {
    ApplicationConfig app = new ApplicationConfig(name);
    app.setQosEnable(false);
    return app;
  }
}
