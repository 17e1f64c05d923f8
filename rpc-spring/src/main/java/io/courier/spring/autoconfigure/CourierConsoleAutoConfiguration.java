package io.courier.spring.autoconfigure;

import io.courier.client.RpcClient;
import io.courier.spring.internal.ServerLifecycle;
import io.courier.spring.internal.console.ConsoleCheck;
import io.courier.spring.internal.console.ConsoleServlet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The console ({@code courier.server.console.enabled}), served at
 * {@code ${management.endpoints.web.base-path}/courier/console/} by a servlet web application: with the actuator,
 * {@link CourierConsoleManagementContextConfiguration} serves it where the actuator's endpoints are (the management
 * port, if it has its own); without, the application's servlet container does. Start-up fails when nothing would
 * serve it ({@link ConsoleCheck}). Not API.
 */
@AutoConfiguration(after = CourierAutoConfiguration.class)
@ConditionalOnClass(RpcClient.class)
@ConditionalOnBooleanProperty("courier.server.console.enabled")
public class CourierConsoleAutoConfiguration {

  static final String SERVLET = "jakarta.servlet.http.HttpServlet";
  static final String ACTUATOR = "org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration";

  /** A servlet web application: the console can be served. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = SERVLET)
  static class ServletWebApplication {

    @Bean
    ConsoleCheck courierConsoleCheck(Environment environment) {
      return ConsoleCheck.servletWebApplication(environment);
    }

    @Bean
    @ConditionalOnMissingClass(ACTUATOR)
    @ConditionalOnMissingBean(name = "courierConsoleServlet")
    ServletRegistrationBean<ConsoleServlet> courierConsoleServlet(ObjectProvider<ServerLifecycle> server,
        Environment environment) {
      return ConsoleServlet.registration(server, ConsoleServlet.path(environment), environment);
    }
  }

  /** Any other application: start-up fails, naming why. */
  @Configuration(proxyBeanMethods = false)
  @Conditional(NotAServletWebApplication.class)
  static class OtherApplication {

    @Bean
    ConsoleCheck courierConsoleCheck(Environment environment, ApplicationContext context) {
      return ConsoleCheck.otherApplication(environment, context);
    }
  }

  /** Matches where {@link ServletWebApplication} does not. */
  static final class NotAServletWebApplication extends NoneNestedConditions {

    NotAServletWebApplication() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = SERVLET)
    static class ServletWebApplication {}
  }
}
