package io.courier.spring.autoconfigure;

import io.courier.client.ClientInterceptor;
import io.courier.client.RpcClient;
import io.courier.registry.Registry;
import io.courier.server.ServerInterceptor;
import io.courier.spring.CourierProperties;
import io.courier.spring.RpcClientBuilderCustomizer;
import io.courier.spring.RpcServerBuilderCustomizer;
import io.courier.spring.internal.ClientFactory;
import io.courier.spring.internal.DependencyCheck;
import io.courier.spring.internal.RegistrationLifecycle;
import io.courier.spring.internal.ReplacedBeansCheck;
import io.courier.spring.internal.RpcReferenceSupport;
import io.courier.spring.internal.ServerLifecycle;
import io.courier.spring.internal.Stubs;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Courier for Spring Boot: a {@link Registry} from {@code courier.registry.address}, one shared {@link RpcClient},
 * stubs for {@code @RpcReference} injection points, and a server exporting every bean that implements an
 * {@code @RpcService} interface — registered once the application is ready, deregistered first at shutdown, then
 * drained and closed. Every bean backs off when the application defines its own. Not API: configure it with
 * {@code courier.*} properties and the customizer beans.
 */
@AutoConfiguration
@ConditionalOnClass(RpcClient.class)
@EnableConfigurationProperties(CourierProperties.class)
public class CourierAutoConfiguration {

  /**
   * Refuses to start, naming the version and the Maven property that fixes it, when the Netty or Jackson the
   * application resolved (Spring Boot's, usually) cannot work with Courier ({@code courier.dependency-check.enabled}).
   */
  public CourierAutoConfiguration(Environment environment) {
    if (environment.getProperty(DependencyCheck.ENABLED_PROPERTY, Boolean.class, true)) {
      DependencyCheck.ofThisBuild().verify(CourierAutoConfiguration.class.getClassLoader());
    }
  }

  /** Installs {@code @RpcReference} support; static, as a bean-factory post-processor must be. */
  @Bean
  static RpcReferenceSupport courierRpcReferenceSupport() {
    return new RpcReferenceSupport();
  }

  /**
   * Fails start-up when {@code courier.client.*} or {@code courier.registry.*} is set but the application's own
   * {@link RpcClient} or {@link Registry} bean replaces the starter's, which alone reads them; static, as a
   * bean-factory post-processor must be.
   */
  @Bean
  static ReplacedBeansCheck courierReplacedBeansCheck() {
    return new ReplacedBeansCheck();
  }

  @Bean
  @ConditionalOnMissingBean
  Stubs courierStubs(ObjectProvider<RpcClient> client, Environment environment) {
    return new Stubs(client, environment);
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "courier.registry", name = "address")
  Registry courierRegistry(CourierProperties properties) {
    return ClientFactory.registry(properties.getRegistry().getAddress());
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @Conditional(ProvidersConfigured.class)
  RpcClient courierRpcClient(CourierProperties properties, ObjectProvider<Registry> registry,
      ObjectProvider<ClientInterceptor> interceptors, ObjectProvider<RpcClientBuilderCustomizer> customizers) {
    return ClientFactory.client(properties, registry.getIfAvailable(), interceptors.orderedStream().toList(),
        customizers.orderedStream().toList());
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "courier.server", name = "enabled", matchIfMissing = true)
  ServerLifecycle courierServerLifecycle(CourierProperties properties, ObjectProvider<Registry> registry,
      ConfigurableListableBeanFactory beanFactory, ObjectProvider<ServerInterceptor> interceptors,
      ObjectProvider<RpcServerBuilderCustomizer> customizers, Environment environment) {
    List<ServerInterceptor> ordered = interceptors.orderedStream().toList();
    return new ServerLifecycle(properties, registry.getIfAvailable(), beanFactory, ordered,
        customizers.orderedStream().toList(), environment);
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(ServerLifecycle.class)
  RegistrationLifecycle courierRegistrationLifecycle(ServerLifecycle server) {
    return new RegistrationLifecycle(server);
  }

  /**
   * A client is made when {@code courier.client.enabled} is not false and providers can be found: a registry address,
   * fixed addresses, or a {@link Registry} bean of the application's.
   */
  static final class ProvidersConfigured extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      Environment env = context.getEnvironment();
      if (!env.getProperty("courier.client.enabled", Boolean.class, true)) {
        return ConditionOutcome.noMatch("courier.client.enabled is false");
      }
      if (env.containsProperty("courier.registry.address")) {
        return ConditionOutcome.match("courier.registry.address is set");
      }
      if (!Binder.get(env).bind("courier.client.addresses", Bindable.listOf(String.class)).orElse(List.of())
          .isEmpty()) {
        return ConditionOutcome.match("courier.client.addresses is set");
      }
      if (context.getBeanFactory() != null
          && context.getBeanFactory().getBeanNamesForType(Registry.class, true, false).length > 0) {
        return ConditionOutcome.match("a Registry bean exists");
      }
      return ConditionOutcome.noMatch("neither courier.registry.address, courier.client.addresses nor a Registry bean");
    }
  }
}
