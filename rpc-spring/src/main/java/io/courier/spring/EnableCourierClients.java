package io.courier.spring;

import io.courier.spring.internal.CourierClientsRegistrar;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Registers a stub bean for every {@code @RpcService} interface found in the given packages (and for the listed
 * {@link #clients()}), so that stubs are injected by type like any bean — into constructors, fields or
 * {@code @Bean} methods. Stubs use the client's default options; use {@link RpcReference} where one injection point
 * needs others.
 *
 * <pre>{@code
 * @SpringBootApplication
 * @EnableCourierClients(basePackages = "com.acme.api")
 * class ShopApplication { ... }
 *
 * @Service
 * class Checkout {
 *   Checkout(Inventory inventory, Prices prices) { ... } // stubs, found by type
 * }
 * }</pre>
 *
 * <p>Stub beans are registered as fallbacks: if the application itself has a bean implementing the same interface,
 * that one is injected (and exported), and the stub only when there is no other.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Import(CourierClientsRegistrar.class)
public @interface EnableCourierClients {

  /** Packages to scan for {@code @RpcService} interfaces; alias of {@link #basePackages()}. */
  String[] value() default {};

  /** Packages to scan; if none (and no classes or clients are given), the annotated class's package. */
  String[] basePackages() default {};

  /** Scans the packages of these classes. */
  Class<?>[] basePackageClasses() default {};

  /** These interfaces, with or without scanning. */
  Class<?>[] clients() default {};
}
