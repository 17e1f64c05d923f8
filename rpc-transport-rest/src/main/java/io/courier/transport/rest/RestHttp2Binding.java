package io.courier.transport.rest;

import io.courier.transport.TransportOption;
import io.courier.transport.TransportOptions;
import io.courier.transport.http2.Http1Handler;
import io.courier.transport.http2.Http2Binding;
import java.util.Set;

/**
 * What the REST binding tells an {@code http2} port (found with {@code ServiceLoader}): the {@link RestOptions} a
 * {@link RestBinding} reads ({@link RestBinding#SERVER_OPTIONS}), and that {@link RestOptions#DESCRIBE_SERVICES} needs
 * one (a hook that serves REST). Not API: public for {@code ServiceLoader} only.
 */
public final class RestHttp2Binding implements Http2Binding {

  /** Made by {@code ServiceLoader}. */
  public RestHttp2Binding() {}

  @Override
  public Set<TransportOption<?>> serverOptions() {
    return RestBinding.SERVER_OPTIONS;
  }

  @Override
  public void checkServer(TransportOptions options, Http1Handler hook) {
    if (!options.get(RestOptions.DESCRIBE_SERVICES)) {
      return;
    }
    if (hook == null) {
      throw new IllegalArgumentException("rest.describeServices is set on an http2 listener that serves no HTTP "
          + "requests but gRPC's (expected: .option(Http2Options.HTTP1_HANDLER, new RestBinding()) to serve REST and "
          + "the descriptions on this port, or a rest listener instead)");
    }
    if (hook.restRoutes() == null) { // a hook of the application's own: it serves neither REST nor the descriptions
      throw new IllegalArgumentException("rest.describeServices is set on an http2 listener whose "
          + "Http2Options.HTTP1_HANDLER (" + hook + ") serves no REST, so nothing would serve the descriptions "
          + "(expected: .option(Http2Options.HTTP1_HANDLER, new RestBinding()), or a rest listener instead)");
    }
  }
}
