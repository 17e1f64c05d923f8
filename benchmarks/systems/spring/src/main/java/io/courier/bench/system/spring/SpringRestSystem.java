package io.courier.bench.system.spring;

import io.courier.bench.driver.BenchSystem;
import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import io.courier.bench.model.Payloads;
import io.courier.bench.model.UserServiceCalls;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Boot REST: {@link SpringRestApplication} served by Tomcat, called by {@link RestUserServiceClient}. Spring
 * Boot's defaults, except that keep-alive connections are not closed after 100 requests.
 */
public final class SpringRestSystem implements BenchSystem {

  @Override
  public String name() {
    return "spring-rest";
  }

  @Override
  public RunningServer startServer(Endpoint at) {
    SpringApplication app = new SpringApplication(SpringRestApplication.class);
    app.setBannerMode(Banner.Mode.OFF);
    app.setLogStartupInfo(false);
    app.setDefaultProperties(Map.of(
        "server.port", String.valueOf(at.port()),
        "server.address", at.host(),
        "spring.jmx.enabled", "false",
        // Tomcat closes a keep-alive connection after 100 requests by default; a service called through a
        // connection pool lifts that, as every other system here keeps its connections (and the wire-byte count
        // needs connections that outlive the measured window)
        "server.tomcat.max-keep-alive-requests", "-1",
        "logging.level.root", "WARN"));
    ConfigurableApplicationContext context = app.run();
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return new RunningServer() {
      @Override
      public int port() {
        return port;
      }

      @Override
      public void close() {
        context.close();
      }
    };
  }

  @Override
  public Client connect(Endpoint target, int concurrency) {
    RestUserServiceClient users = new RestUserServiceClient(target.hostAndPort());
    users.existUser(Payloads.EMAIL); // connect now, not in the measured window
    return new Client() {
      @Override
      public Operation operation(Workload workload) {
        return UserServiceCalls.of(users, workload);
      }

      @Override
      public void close() {
        users.close();
      }
    };
  }
}
