package io.courier.spring.autoconfigure;

import io.courier.spring.internal.ServerLifecycle;
import io.courier.spring.internal.console.ConsoleServlet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletPath;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The console's servlet where the actuator's endpoints are served: the application's servlet container, or the
 * management server's when {@code management.server.port} gives it a port of its own (then this runs in the
 * management context, and the server it shows is the application context's). Listed in
 * {@code META-INF/spring/org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration.imports}.
 * Not API.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnClass(name = {"io.courier.client.RpcClient", CourierConsoleAutoConfiguration.SERVLET})
@ConditionalOnBooleanProperty("courier.server.console.enabled")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class CourierConsoleManagementContextConfiguration {

  static final String DISPATCHER_SERVLET_PATH = "org.springframework.boot.webmvc.autoconfigure.DispatcherServletPath";

  /**
   * Spring MVC serves the actuator's endpoints: the console goes below its DispatcherServlet's path too
   * ({@code spring.mvc.servlet.path} in the application's context; {@code /} in a management context of its own).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = DISPATCHER_SERVLET_PATH)
  static class SpringMvc {

    @Bean
    @ConditionalOnMissingBean(name = "courierConsoleServlet")
    ServletRegistrationBean<ConsoleServlet> courierConsoleServlet(ObjectProvider<ServerLifecycle> server,
        ObjectProvider<DispatcherServletPath> dispatcherServlet, Environment environment) {
      String path = ConsoleServlet.path(environment);
      DispatcherServletPath mvc = dispatcherServlet.getIfUnique();
      return ConsoleServlet.registration(server, mvc == null ? path : mvc.getRelativePath(path), environment);
    }
  }

  /** Another servlet stack serves the actuator's endpoints (Jersey, say). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass(DISPATCHER_SERVLET_PATH)
  static class OtherServlets {

    @Bean
    @ConditionalOnMissingBean(name = "courierConsoleServlet")
    ServletRegistrationBean<ConsoleServlet> courierConsoleServlet(ObjectProvider<ServerLifecycle> server,
        Environment environment) {
      return ConsoleServlet.registration(server, ConsoleServlet.path(environment), environment);
    }
  }
}
