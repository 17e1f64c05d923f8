package io.courier.spring.internal;

import io.courier.auth.BearerAuth;
import io.courier.client.ClientInterceptor;
import io.courier.client.RpcClient;
import io.courier.cluster.LoadBalancers;
import io.courier.registry.Registries;
import io.courier.registry.Registry;
import io.courier.registry.RegistryAddress;
import io.courier.registry.RegistryException;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.spring.CourierProperties;
import io.courier.spring.RpcClientBuilderCustomizer;
import io.courier.transport.Transports;
import java.util.List;

/**
 * Builds the application's {@link Registry} and {@link RpcClient} from {@code courier.*}: each setting is checked on
 * its own first, so that a bad one fails start-up with a {@link CourierConfigurationException} naming its property.
 */
public final class ClientFactory {

  private ClientFactory() {}

  /** Connects to {@code courier.registry.address}; a failure names the address with its secrets masked. */
  public static Registry registry(String address) {
    try {
      return Registries.connect(address);
    } catch (IllegalArgumentException e) {
      throw new CourierConfigurationException("courier.registry.address", printable(address), e.getMessage(),
          "Use zookeeper://host:port[,host:port][/root], static://host:port[,host:port] or embedded[?port=2181].", e);
    } catch (RegistryException e) {
      throw new CourierConfigurationException("courier.registry.address", printable(address), e.getMessage(),
          "Check that ZooKeeper runs at that address and is reachable from here, or point the property at another"
              + " ensemble (embedded starts one inside this application, for demos).", e);
    }
  }

  /** The address as it may be printed: secret parameters masked ({@link RegistryAddress#toString()}). */
  private static String printable(String address) {
    try {
      return RegistryAddress.parse(address).toString();
    } catch (IllegalArgumentException unparseable) {
      return "(an address that cannot be parsed)";
    }
  }

  /** The shared client: properties first, then interceptors in order, then customizers. */
  public static RpcClient client(CourierProperties properties, Registry registry, List<ClientInterceptor> interceptors,
      List<RpcClientBuilderCustomizer> customizers) {
    CourierProperties.Client p = properties.getClient();
    RpcClient.Builder b = RpcClient.builder();
    check("courier.client.transport", p.getTransport(), () -> Transports.find(p.getTransport()),
        "Use a transport on the class path (tcp comes with the starter; add io.courier:courier-transport-http2 for"
            + " http2, io.courier:courier-transport-rest for rest).");
    b.transport(p.getTransport());
    if (p.getSerializer() != null) {
      check("courier.client.serializer", p.getSerializer(),
          () -> SerializerSet.load(TypeAllowlist.withDefaults()).byName(p.getSerializer()),
          "Use a serializer on the class path (kryo comes with the starter; add io.courier:courier-serialization-json,"
              + " -protobuf or -hessian for the others), or remove the property for kryo.");
      b.serializer(p.getSerializer());
    }
    check("courier.client.load-balancer", p.getLoadBalancer(), () -> LoadBalancers.find(p.getLoadBalancer()),
        "Use one of " + LoadBalancers.available().keySet() + ".");
    b.loadBalancer(p.getLoadBalancer());
    b.clusterMode(p.getClusterMode());
    check("courier.client.default-timeout", p.getDefaultTimeout(), () -> b.defaultTimeout(p.getDefaultTimeout()),
        "Use a duration above zero, for example 2s.");
    if (registry != null && !p.getAddresses().isEmpty()) {
      throw new CourierConfigurationException("courier.client.addresses", p.getAddresses(),
          "is set together with courier.registry.address", "Keep one way to find providers: remove"
          + " courier.client.addresses to use the registry, or courier.registry.address to call fixed addresses.",
          null);
    }
    if (registry != null) {
      b.registry(registry);
      b.registerConsumer(p.isRegisterConsumer());
    } else {
      if (p.isRegisterConsumer()) {
        throw new CourierConfigurationException("courier.client.register-consumer", true, "there is no registry to"
            + " register in: this client calls fixed addresses", "Set courier.registry.address to register this"
            + " application as a consumer there, or remove courier.client.register-consumer.", null);
      }
      for (String address : p.getAddresses()) {
        check("courier.client.addresses", address, () -> b.address(address), "Write each address as host:port.");
      }
    }
    if (p.getTls().isEnabled()) {
      b.tls(TlsSettings.client(p.getTls()));
    } else {
      TlsSettings.requireNoneWhileOff(p.getTls(), "courier.client.tls.");
    }
    if (p.getAuth().getToken() != null) {
      if (p.getAuth().getToken().isBlank()) {
        // set but empty, as an unset ${TOKEN:} leaves it: calls would go without the token the setting asks for
        throw new CourierConfigurationException("courier.client.auth.token", null, "is blank",
            "Set the token (check that the variable it comes from is set), or remove the property to call without"
                + " one.", null);
      }
      String token = p.getAuth().getToken().trim();
      b.interceptor(BearerAuth.client(() -> token));
    }
    interceptors.forEach(b::interceptor);
    customizers.forEach(c -> c.customize(b));
    try {
      return b.build();
    } catch (IllegalArgumentException | RegistryException e) {
      throw new CourierConfigurationException("courier.client", null, e.getMessage(),
          "Fix the setting the message names under courier.client.* (or in an RpcClientBuilderCustomizer).", e);
    }
  }

  static void check(String property, Object value, Runnable check, String action) {
    try {
      check.run();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CourierConfigurationException(property, value, e.getMessage(), action, e);
    }
  }
}
