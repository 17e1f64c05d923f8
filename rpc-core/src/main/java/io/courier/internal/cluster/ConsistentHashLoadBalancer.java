package io.courier.internal.cluster;

import io.courier.client.Invocation;
import io.courier.cluster.ClusterOptions;
import io.courier.cluster.LoadBalance;
import io.courier.cluster.LoadBalancer;
import io.courier.cluster.LoadBalancerFactory;
import io.courier.cluster.LoadBalancers;
import io.courier.cluster.Provider;
import io.courier.common.CallOptions;
import io.courier.common.Endpoint;
import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@value LoadBalancers#CONSISTENT_HASH}: a ring of {@value #VIRTUAL_NODES} points per provider; a call goes to the
 * first point at or after its key's hash. The key is the value of a header ({@link ClusterOptions#HASH_HEADER},
 * {@link LoadBalance#hashHeader()}) or of an argument ({@link ClusterOptions#HASH_ARGUMENT},
 * {@link LoadBalance#hashArgument()}), the first argument by default. The same key reaches the same provider while
 * the membership stays; when a provider joins or leaves, only the keys on its arcs move (about 1/N). Weights are not
 * used. Invariant: the ring matches the endpoints, in order, of the list it was built from; it is rebuilt when the
 * list differs.
 */
public final class ConsistentHashLoadBalancer implements LoadBalancer {

  static final int VIRTUAL_NODES = 160;

  private record KeySpec(int argument, Metadata.Key<String> header) {}

  private volatile Ring ring;
  private final Map<MethodDescriptor, KeySpec> specs = new ConcurrentHashMap<>();

  @Override
  public Provider pick(List<Provider> providers, Invocation invocation) {
    if (providers.size() == 1) {
      return providers.get(0);
    }
    Ring r = ring;
    if (r == null || !r.matches(providers)) {
      r = new Ring(providers);
      ring = r;
    }
    return providers.get(r.lookup(hash(keyOf(invocation))));
  }

  /** The key of a call, as text. */
  String keyOf(Invocation invocation) {
    CallOptions options = invocation.options();
    String header = options.get(ClusterOptions.HASH_HEADER);
    if (header != null) {
      return String.valueOf(options.headers().get(Metadata.Key.of(header)));
    }
    Integer argument = options.get(ClusterOptions.HASH_ARGUMENT);
    KeySpec spec = specs.computeIfAbsent(invocation.method(), ConsistentHashLoadBalancer::specOf);
    if (argument == null && spec.header() != null) {
      return String.valueOf(options.headers().get(spec.header()));
    }
    int index = argument != null ? argument : spec.argument();
    Object[] args = invocation.arguments();
    if (index < 0 || index >= args.length) {
      return "";
    }
    Object value = args[index];
    return value != null && value.getClass().isArray() ? Arrays.deepToString(new Object[] {value})
        : String.valueOf(value);
  }

  private static KeySpec specOf(MethodDescriptor method) {
    if (method.isGeneric()) {
      return new KeySpec(0, null); // no annotations: the first argument, unless the call's options say otherwise
    }
    LoadBalance annotation = method.method().getAnnotation(LoadBalance.class);
    if (annotation == null) {
      annotation = method.service().type().getAnnotation(LoadBalance.class);
    }
    if (annotation == null) {
      return new KeySpec(0, null);
    }
    Metadata.Key<String> header = annotation.hashHeader().isBlank() ? null : Metadata.Key.of(annotation.hashHeader());
    return new KeySpec(Math.max(0, annotation.hashArgument()), header);
  }

  /** A 64-bit hash with good spread: FNV-1a over the UTF-8 bytes, finished with MurmurHash3's fmix64. */
  static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** Sorted points and, for each, the index of its provider in the list the ring was built from. */
  private static final class Ring {
    private final Endpoint[] endpoints;
    private final long[] points;
    private final int[] owners;

    Ring(List<Provider> providers) {
      int n = providers.size();
      endpoints = new Endpoint[n];
      long[][] pairs = new long[n * VIRTUAL_NODES][];
      for (int i = 0; i < n; i++) {
        endpoints[i] = providers.get(i).endpoint();
        String name = endpoints[i].toString();
        for (int v = 0; v < VIRTUAL_NODES; v++) {
          pairs[i * VIRTUAL_NODES + v] = new long[] {hash(name + "#" + v), i};
        }
      }
      Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
      points = new long[pairs.length];
      owners = new int[pairs.length];
      for (int k = 0; k < pairs.length; k++) {
        points[k] = pairs[k][0];
        owners[k] = (int) pairs[k][1];
      }
    }

    boolean matches(List<Provider> providers) {
      if (providers.size() != endpoints.length) {
        return false;
      }
      for (int i = 0; i < endpoints.length; i++) {
        if (!providers.get(i).endpoint().equals(endpoints[i])) {
          return false;
        }
      }
      return true;
    }

    int lookup(long hash) {
      int k = Arrays.binarySearch(points, hash);
      if (k < 0) {
        k = -k - 1;
      }
      return owners[k == points.length ? 0 : k];
    }
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory implements LoadBalancerFactory {
    @Override
    public String name() {
      return LoadBalancers.CONSISTENT_HASH;
    }

    @Override
    public LoadBalancer newLoadBalancer() {
      return new ConsistentHashLoadBalancer();
    }
  }
}
