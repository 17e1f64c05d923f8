/**
 * The console: one web page and its JSON endpoints that show what a server exports, who provides it and how its
 * methods are doing, and let an operator try a method and take the server out of the registry (see
 * {@code docs/console.md}). This package is the seam: {@link io.courier.console.ConsoleOptions} turns it on
 * ({@code RpcServer.Builder.console}), and whatever serves HTTP — the REST transport, the Spring Boot starter — hands
 * each request under the console's path to {@link io.courier.console.Console#handle} and writes back the
 * {@link io.courier.console.ConsoleResponse}. The implementation lives in {@code io.courier.internal.console}; this
 * package depends on nothing but {@code io.courier.common}, {@code TlsConfig} and the JDK.
 */
package io.courier.console;
