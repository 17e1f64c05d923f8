package io.courier.spring;

import io.courier.server.RpcServer;

/**
 * Adjusts the application's {@code RpcServer} before it is built, after the {@code courier.server.*} properties and
 * the exported beans are applied. Declare it as a bean; several run in {@code @Order}. The starter decides when the
 * server registers, so {@code registerOnStart} set here is ignored.
 *
 * <pre>{@code
 * @Bean
 * RpcServerBuilderCustomizer zone() {
 *   return builder -> builder.metadata("zone", "eu-1").allowPackage("com.acme.model");
 * }
 * }</pre>
 */
@FunctionalInterface
public interface RpcServerBuilderCustomizer {

  void customize(RpcServer.Builder builder);
}
