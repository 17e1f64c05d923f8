package io.courier.spring;

import io.courier.client.RpcClient;

/**
 * Adjusts the application's {@code RpcClient} before it is built, after the {@code courier.client.*} properties
 * are applied, for what properties do not cover. Declare it as a bean; several run in {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * RpcClientBuilderCustomizer retries() {
 *   return builder -> builder.retryBudget(50, 0.2).allowPackage("com.acme.model");
 * }
 * }</pre>
 */
@FunctionalInterface
public interface RpcClientBuilderCustomizer {

  void customize(RpcClient.Builder builder);
}
