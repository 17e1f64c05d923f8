/**
 * The console's implementation behind the {@code io.courier.console} seam: {@code ConsoleHandler} routes a request to
 * the page's files (in {@code io/courier/console/}) or a JSON endpoint after the loopback rule, the server's admission
 * (as {@code courier.Console/*}) and, for try-it and operator actions, an authenticated caller; {@code
 * ConsoleMetrics} keeps the per-method figures (a {@code MetricsRecorder} the server installs first, HdrHistogram,
 * one-second buckets); {@code ConsoleProviders} watches the registry. It reaches its server only through {@code
 * ConsoleHandler.Host} (implemented in {@code io.courier.server}) and the client only through public API and {@code
 * io.courier.client.InternalClients}; it must not depend on a transport: whatever serves HTTP adapts to
 * {@code io.courier.console.Console}.
 */
package io.courier.internal.console;
