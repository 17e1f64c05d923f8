package io.courier.internal.cluster;

import io.courier.cluster.ClusterOptions;
import io.courier.common.CallOptions;
import io.courier.common.ServiceDescriptor;

/**
 * Which providers a stub's calls may go to: those of {@code service} registered with {@code version} and
 * {@code group} — the {@code @RpcService}'s own, unless the stub's options ({@link ClusterOptions#VERSION},
 * {@link ClusterOptions#GROUP}) choose others. Invariant: version and group are trimmed and never null.
 */
public record ServiceKey(ServiceDescriptor service, String version, String group) {

  /** The key of stubs made without a version or group option. */
  public static ServiceKey of(ServiceDescriptor service) {
    return new ServiceKey(service, service.version(), service.group());
  }

  /** The key of a stub made with {@code options}. */
  public static ServiceKey of(ServiceDescriptor service, CallOptions options) {
    String version = options.get(ClusterOptions.VERSION);
    String group = options.get(ClusterOptions.GROUP);
    if (version == null && group == null) {
      return of(service);
    }
    return new ServiceKey(service, version == null ? service.version() : version.trim(),
        group == null ? service.group() : group.trim());
  }

  @Override
  public String toString() {
    return service.name() + (version.isEmpty() ? "" : ":" + version) + (group.isEmpty() ? "" : " (group " + group
        + ")");
  }
}
