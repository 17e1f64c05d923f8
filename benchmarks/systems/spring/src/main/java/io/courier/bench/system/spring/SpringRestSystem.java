package io.courier.bench.system.spring;

import io.courier.bench.driver.BenchSystem;
import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import io.courier.bench.model.Payloads;
import io.courier.bench.model.UserService;
import io.courier.bench.model.UserServiceCalls;
import java.util.Map;
import java.util.function.BiFunction;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Boot REST: {@link SpringRestApplication} served by Tomcat with Spring Boot's defaults, except that keep-alive
 * connections are not closed after 100 requests. The variants differ in the client, or in which side is Spring:
 *
 * <ul>
 *   <li>{@code spring-rest}: Spring's {@code RestClient} on a pooled Apache HttpClient 5 sized to the concurrency
 *       ({@link PooledRestClientUserService}), as Spring documents a service client;
 *   <li>{@code spring-rest-jdk}: the JDK's {@code HttpClient} ({@link RestUserServiceClient}), the client this row
 *       used to have;
 *   <li>{@code cross-courier-to-spring}: only the server; the client is Courier's REST client, from Courier's system
 *       jar (the harness starts each side from its own family's jar);
 *   <li>{@code cross-jdk-to-courier}: only the client, the JDK's {@code HttpClient}, calling Courier's REST server.
 * </ul>
 */
public class SpringRestSystem implements BenchSystem {

  private final String name;
  private final boolean serves;
  private final BiFunction<String, Integer, UserService> client;

  /** {@code spring-rest}: RestClient on pooled HttpClient 5 against Spring MVC. */
  public SpringRestSystem() {
    this("spring-rest", true, PooledRestClientUserService::new);
  }

  SpringRestSystem(String name, boolean serves, BiFunction<String, Integer, UserService> client) {
    this.name = name;
    this.serves = serves;
    this.client = client;
  }

  /** The JDK's HttpClient against Spring MVC. */
  public static final class JdkClient extends SpringRestSystem {
    public JdkClient() {
      super("spring-rest-jdk", true, (target, concurrency) -> new RestUserServiceClient(target));
    }
  }

  /** Spring MVC's side of Courier's REST client calling it; the client runs from Courier's jar. */
  public static final class CrossCourierToSpring extends SpringRestSystem {
    public CrossCourierToSpring() {
      super("cross-courier-to-spring", true, null);
    }
  }

  /** The JDK HttpClient's side of it calling Courier's REST server; the server runs from Courier's jar. */
  public static final class CrossJdkToCourier extends SpringRestSystem {
    public CrossJdkToCourier() {
      super("cross-jdk-to-courier", false, (target, concurrency) -> new RestUserServiceClient(target));
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public RunningServer startServer(Endpoint at) {
    if (!serves) {
      throw new UnsupportedOperationException(name + " has no Spring server: its server runs from Courier's jar");
    }
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
    if (client == null) {
      throw new UnsupportedOperationException(name + " has no client here: its client runs from Courier's jar");
    }
    UserService users = client.apply(target.hostAndPort(), concurrency);
    users.existUser(Payloads.EMAIL); // connect now, not in the measured window
    return new Client() {
      @Override
      public Operation operation(Workload workload) {
        return UserServiceCalls.of(users, workload);
      }

      @Override
      public void close() {
        if (users instanceof AutoCloseable c) {
          try {
            c.close();
          } catch (Exception e) {
            // closing at the end of a child JVM: nothing to do about it
          }
        }
      }
    };
  }
}
