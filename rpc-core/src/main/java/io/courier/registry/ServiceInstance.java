package io.courier.registry;

import io.courier.common.Endpoint;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One registration: a provider of a service on one host (with a port per transport it offers), or a consumer of
 * it, registered so that operators can see who calls what. Immutable; build with {@link #builder(String)}.
 *
 * <pre>{@code
 * ServiceInstance orders = ServiceInstance.builder("acme.Orders")
 *     .version("2").host("10.0.0.7").port("tcp", 7070)
 *     .serializers(List.of("kryo", "json")).weight(100).metadata("zone", "eu-1")
 *     .build();
 * }</pre>
 *
 * <p>A {@code static://} registry knows neither the transport nor the version of its addresses: its instances
 * offer their port under transport {@link #ANY} and have version and group {@link #ANY}, which match every
 * consumer.
 */
public final class ServiceInstance {

  /** What a registration stands for. */
  public enum Role {
    /** Serves the service; consumers route calls to it. */
    PROVIDER,
    /** Calls the service; registered for operators only. */
    CONSUMER
  }

  /** As a transport name, version or group: matches every transport, version or group a consumer asks for. */
  public static final String ANY = "*";
  /** The weight of an instance that sets none. */
  public static final int DEFAULT_WEIGHT = 100;
  /** The largest weight. */
  public static final int MAX_WEIGHT = 1_000_000;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
  private static final Pattern TRANSPORT = Pattern.compile("[a-z0-9._-]{1,32}|\\*");

  private final String id;
  private final Role role;
  private final String service;
  private final String version;
  private final String group;
  private final String host;
  private final Map<String, Integer> ports;
  private final List<String> serializers;
  private final int weight;
  private final Instant startTime;
  private final Map<String, String> metadata;

  private ServiceInstance(Builder b) {
    this.id = b.id != null ? b.id : UUID.randomUUID().toString();
    this.role = b.role;
    this.service = b.service;
    this.version = b.version;
    this.group = b.group;
    this.host = b.host;
    this.ports = Collections.unmodifiableMap(new LinkedHashMap<>(b.ports));
    this.serializers = List.copyOf(b.serializers);
    this.weight = b.weight;
    this.startTime = b.startTime != null ? b.startTime : Instant.now().truncatedTo(ChronoUnit.MILLIS);
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
  }

  /** A builder for an instance of {@code service} (its name on the wire, as {@code @RpcService(name)} gives it). */
  public static Builder builder(String service) {
    return new Builder(service);
  }

  /** Unique among the instances of the service; generated if the builder set none. */
  public String id() {
    return id;
  }

  public Role role() {
    return role;
  }

  /** The service name. */
  public String service() {
    return service;
  }

  /** The service version, or {@code ""}. */
  public String version() {
    return version;
  }

  /** The service group, or {@code ""}. */
  public String group() {
    return group;
  }

  /** The host callers connect to: a name or an IP address. */
  public String host() {
    return host;
  }

  /** The port of each transport offered, by transport name, for example {@code {tcp=7070}}. */
  public Map<String, Integer> ports() {
    return ports;
  }

  /** The port for {@code transport}, or {@code null} if this instance does not offer it. */
  public Integer port(String transport) {
    Integer port = ports.get(transport);
    return port != null ? port : ports.get(ANY);
  }

  /** Where to call this instance over {@code transport}, or {@code null} if it does not offer it. */
  public Endpoint endpoint(String transport) {
    Integer port = port(transport);
    return port == null ? null : new Endpoint(host, port);
  }

  /** The serializers the provider can decode, by name; empty if unknown. */
  public List<String> serializers() {
    return serializers;
  }

  /** The relative share of calls weighted balancers send here; {@value #DEFAULT_WEIGHT} by default. */
  public int weight() {
    return weight;
  }

  /** When the process registered it (millisecond precision). */
  public Instant startTime() {
    return startTime;
  }

  /** Free-form labels, for example {@code zone=eu-1}. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** A builder holding this instance's values. */
  public Builder toBuilder() {
    Builder b = new Builder(service).id(id).role(role).version(version).group(group).weight(weight)
        .startTime(startTime).serializers(serializers);
    b.host = host;
    b.ports.putAll(ports);
    b.metadata.putAll(metadata);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceInstance other && id.equals(other.id) && role == other.role
        && service.equals(other.service) && version.equals(other.version) && group.equals(other.group)
        && host.equals(other.host) && ports.equals(other.ports) && serializers.equals(other.serializers)
        && weight == other.weight && startTime.equals(other.startTime) && metadata.equals(other.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, role, service, version, group, host, ports, serializers, weight, startTime, metadata);
  }

  @Override
  public String toString() {
    return (role == Role.CONSUMER ? "consumer of " : "") + service + (version.isEmpty() ? "" : ":" + version)
        + (group.isEmpty() ? "" : " (group " + group + ")") + " at " + host + " " + ports + " [" + id + "]";
  }

  /** Builds a {@link ServiceInstance}; {@link #build()} validates. */
  public static final class Builder {
    private final String service;
    private String id;
    private Role role = Role.PROVIDER;
    private String version = "";
    private String group = "";
    private String host;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private List<String> serializers = List.of();
    private int weight = DEFAULT_WEIGHT;
    private Instant startTime;
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private Builder(String service) {
      this.service = service == null ? "" : service.trim();
    }

    /** The instance id: letters, digits and {@code . _ : @ -}, at most 128; default a random UUID. */
    public Builder id(String instanceId) {
      this.id = instanceId;
      return this;
    }

    /** {@link Role#PROVIDER} (the default) or {@link Role#CONSUMER}. */
    public Builder role(Role newRole) {
      this.role = Objects.requireNonNull(newRole, "role");
      return this;
    }

    public Builder version(String newVersion) {
      this.version = newVersion == null ? "" : newVersion.trim();
      return this;
    }

    public Builder group(String newGroup) {
      this.group = newGroup == null ? "" : newGroup.trim();
      return this;
    }

    /** The host callers connect to. */
    public Builder host(String newHost) {
      this.host = newHost == null ? null : newHost.trim();
      return this;
    }

    /** Offers {@code transport} (for example {@code "tcp"}) on {@code port}. */
    public Builder port(String transport, int port) {
      if (transport == null || !TRANSPORT.matcher(transport).matches()) {
        throw new IllegalArgumentException("transport: '" + transport + "' (expected: a transport name such as tcp,"
            + " or " + ANY + ")");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
      }
      ports.put(transport, port);
      return this;
    }

    public Builder serializers(List<String> names) {
      this.serializers = List.copyOf(names);
      return this;
    }

    /** The relative share of calls; 1..{@value ServiceInstance#MAX_WEIGHT}, default {@value #DEFAULT_WEIGHT}. */
    public Builder weight(int newWeight) {
      if (newWeight < 1 || newWeight > MAX_WEIGHT) {
        throw new IllegalArgumentException("weight: " + newWeight + " (expected: 1.." + MAX_WEIGHT + ")");
      }
      this.weight = newWeight;
      return this;
    }

    /** Default: when {@link #build()} runs. */
    public Builder startTime(Instant time) {
      this.startTime = time == null ? null : time.truncatedTo(ChronoUnit.MILLIS);
      return this;
    }

    /** Adds a free-form label. */
    public Builder metadata(String key, String value) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("metadata key: '" + key + "' (expected: a non-blank string)");
      }
      metadata.put(key, Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Adds free-form labels. */
    public Builder metadata(Map<String, String> labels) {
      labels.forEach(this::metadata);
      return this;
    }

    /**
     * @throws IllegalArgumentException if the service, the host or the id is invalid, or a provider offers no
     *     transport
     */
    public ServiceInstance build() {
      if (service.isEmpty()) {
        throw new IllegalArgumentException("service: '' (expected: the service name)");
      }
      if (host == null || host.isEmpty()) {
        throw new IllegalArgumentException("host of " + service + ": '" + host + "' (expected: a host name or IP"
            + " address that callers can reach)");
      }
      if (id != null && !ID.matcher(id).matches()) {
        throw new IllegalArgumentException("id: '" + id + "' (expected: 1 to 128 letters, digits or . _ : @ -)");
      }
      if (role == Role.PROVIDER && ports.isEmpty()) {
        throw new IllegalArgumentException("provider of " + service + " at " + host
            + " offers no transport (expected: port(\"tcp\", 7070) or similar)");
      }
      return new ServiceInstance(this);
    }
  }
}
