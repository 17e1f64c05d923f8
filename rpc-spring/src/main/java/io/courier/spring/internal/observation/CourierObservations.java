package io.courier.spring.internal.observation;

import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The observations of Courier calls: {@code courier.rpc.client} around each stub call and {@code courier.rpc.server}
 * around each served call, named {@code service/method}, with the low-cardinality keys {@code rpc.system=courier},
 * {@code rpc.service}, {@code rpc.method} and {@code rpc.status_code} (OpenTelemetry's RPC conventions). Their contexts
 * are Micrometer's transport contexts, so the tracing handlers inject the trace context ({@code traceparent}, ...) into
 * the call's metadata on the client and extract it on the server.
 */
public final class CourierObservations {

  public static final String CLIENT = "courier.rpc.client";
  public static final String SERVER = "courier.rpc.server";

  private CourierObservations() {}

  /** A client call: the carrier collects the headers the tracer injects, to be sent as call metadata. */
  public static final class ClientContext extends SenderContext<Map<String, String>> {
    final MethodDescriptor method;
    volatile StatusCode status;

    ClientContext(MethodDescriptor method) {
      super((carrier, key, value) -> {
        if (carrier != null && key != null && value != null) {
          carrier.put(key.toLowerCase(Locale.ROOT), value);
        }
      }, Kind.CLIENT);
      this.method = method;
      setCarrier(new LinkedHashMap<>());
      setRemoteServiceName(method.service().name());
    }

    public MethodDescriptor method() {
      return method;
    }
  }

  /** A served call: the carrier is the request metadata the tracer reads its parent from. */
  public static final class ServerContext extends ReceiverContext<Metadata> {
    private static final Map<String, Metadata.Key<String>> KEYS = new ConcurrentHashMap<>();
    final MethodDescriptor method;
    final SocketAddress remoteAddress;
    volatile StatusCode status;

    ServerContext(MethodDescriptor method, Metadata headers, SocketAddress remoteAddress) {
      super((carrier, key) -> carrier == null ? null : read(carrier, key), Kind.SERVER);
      this.method = method;
      this.remoteAddress = remoteAddress;
      setCarrier(headers);
    }

    public MethodDescriptor method() {
      return method;
    }

    private static String read(Metadata carrier, String key) {
      Metadata.Key<String> k = KEYS.get(key);
      if (k == null) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (!Metadata.isValidKey(lower) || lower.endsWith("-bin")) {
          return null;
        }
        k = Metadata.Key.of(lower);
        if (KEYS.size() < 256) {
          KEYS.put(key, k);
        }
      }
      return carrier.get(k);
    }
  }

  static StatusCode statusOf(Throwable error) {
    return error == null ? StatusCode.OK : Status.fromThrowable(error).code();
  }

  /** Names and tags client observations. */
  static final class ClientConvention implements ObservationConvention<ClientContext> {
    static final ClientConvention INSTANCE = new ClientConvention();

    @Override
    public String getName() {
      return CLIENT;
    }

    @Override
    public String getContextualName(ClientContext context) {
      return context.method.fullName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ClientContext context) {
      return keyValues(context.method, context.status);
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return context instanceof ClientContext;
    }
  }

  /** Names and tags server observations. */
  static final class ServerConvention implements ObservationConvention<ServerContext> {
    static final ServerConvention INSTANCE = new ServerConvention();

    @Override
    public String getName() {
      return SERVER;
    }

    @Override
    public String getContextualName(ServerContext context) {
      return context.method.fullName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ServerContext context) {
      return keyValues(context.method, context.status);
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(ServerContext context) {
      return context.remoteAddress == null ? KeyValues.empty()
          : KeyValues.of("network.peer.address", context.remoteAddress.toString());
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return context instanceof ServerContext;
    }
  }

  private static KeyValues keyValues(MethodDescriptor method, StatusCode status) {
    return KeyValues.of("rpc.system", "courier", "rpc.service", method.service().name(), "rpc.method", method.name(),
        "rpc.status_code", status == null ? "UNKNOWN" : status.name());
  }
}
