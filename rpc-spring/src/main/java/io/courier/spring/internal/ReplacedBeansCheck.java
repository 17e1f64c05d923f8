package io.courier.spring.internal;

import io.courier.client.RpcClient;
import io.courier.registry.Registry;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Fails start-up when the application replaces the starter's {@link RpcClient} or {@link Registry} with a bean of its
 * own while {@code courier.client.*} or {@code courier.registry.*} is set: only the starter's beans read those
 * properties, so they would be ignored — {@code courier.client.tls.enabled=true} would leave calls in cleartext, an
 * auth token unsent. Looks at bean definitions before any bean is made, so lazy initialization does not skip it.
 */
public final class ReplacedBeansCheck implements BeanFactoryPostProcessor, EnvironmentAware {

  /** The name of the starter's client bean. */
  public static final String CLIENT_BEAN = "courierRpcClient";
  /** The name of the starter's registry bean. */
  public static final String REGISTRY_BEAN = "courierRegistry";

  private Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    if (environment.getProperty("courier.client.enabled", Boolean.class, true)) {
      // read elsewhere: the switch itself, and the client TLS settings that the console's try-it uses over TLS
      boolean consoleReadsClientTls = environment.getProperty("courier.server.console.enabled", Boolean.class, false)
          && environment.getProperty("courier.server.tls.enabled", Boolean.class, false);
      check(beanFactory, RpcClient.class, CLIENT_BEAN, "courier.client", name -> name.equals("courier.client.enabled")
          || consoleReadsClientTls && name.startsWith("courier.client.tls."));
    }
    check(beanFactory, Registry.class, REGISTRY_BEAN, "courier.registry", name -> false);
  }

  private void check(ConfigurableListableBeanFactory beanFactory, Class<?> type, String starterBean, String prefix,
      Predicate<String> readElsewhere) {
    List<String> beans = Arrays.asList(beanFactory.getBeanNamesForType(type, true, false));
    if (beans.isEmpty() || beans.contains(starterBean)) {
      return;
    }
    Set<String> unread = new TreeSet<>(setUnder(prefix));
    unread.removeIf(readElsewhere);
    if (!unread.isEmpty()) {
      throw new CourierConfigurationException(unread.iterator().next(), null, "is set, but the application defines"
          + " its own " + type.getSimpleName() + " bean " + beans + ", which the starter neither makes nor"
          + " configures: nothing would read " + String.join(", ", unread), "Configure your " + type.getSimpleName()
          + " in code, or remove your bean so that the starter makes one from " + prefix + ".*.", null);
    }
  }

  /** The properties set under {@code prefix}, in their canonical form, from every property source. */
  private Set<String> setUnder(String prefix) {
    ConfigurationPropertyName root = ConfigurationPropertyName.of(prefix);
    Set<String> names = new TreeSet<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (source instanceof IterableConfigurationPropertySource iterable) {
        iterable.filter(root::isAncestorOf).stream().map(ConfigurationPropertyName::toString).forEach(names::add);
      }
    }
    return names;
  }
}
