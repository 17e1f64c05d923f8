package io.courier.spring;

import io.courier.cluster.ClusterMode;
import io.courier.transport.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code courier.*} properties. A provider and consumer sharing a ZooKeeper need little more than:
 *
 * <pre>{@code
 * courier:
 *   registry:
 *     address: zookeeper://10.0.0.2:2181
 *   server:
 *     transports:
 *       tcp:
 *         port: 7070
 *   client:
 *     default-timeout: 2s
 * }</pre>
 *
 * <p>Every property, its default and what it maps to is listed in {@code docs/spring.md}; IDEs complete them from
 * the metadata in this jar.
 */
@ConfigurationProperties("courier")
public class CourierProperties {

  private final Application application = new Application();
  private final Registry registry = new Registry();
  private final Server server = new Server();
  private final Client client = new Client();
  private final Metrics metrics = new Metrics();
  private final Observation observation = new Observation();

  public Application getApplication() {
    return application;
  }

  public Registry getRegistry() {
    return registry;
  }

  public Server getServer() {
    return server;
  }

  public Client getClient() {
    return client;
  }

  public Metrics getMetrics() {
    return metrics;
  }

  public Observation getObservation() {
    return observation;
  }

  /** Who this application is. */
  public static class Application {

    /**
     * The application's name, registered with every provider as the label "application"; defaults to
     * spring.application.name.
     */
    private String name;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }
  }

  /** Where providers register and consumers find them. */
  public static class Registry {

    /**
     * The registry address: zookeeper://host:port[,host:port][/root][?connectTimeout=5s&sessionTimeout=30s],
     * static://host:port[,host:port], or embedded[?port=2181] to start a ZooKeeper inside this application (for
     * demos). Unset: no discovery; clients then need courier.client.addresses.
     */
    private String address;

    public String getAddress() {
      return address;
    }

    public void setAddress(String address) {
      this.address = address;
    }
  }

  /** The server that exports every bean implementing an @RpcService interface. */
  public static class Server {

    /** Whether to serve the @RpcService beans of this application (the server starts only if there are some). */
    private boolean enabled = true;

    /** The address listeners bind. */
    private String host = "0.0.0.0";

    /**
     * The host registered for callers to connect to; defaults to the bind host if specific, else a non-loopback
     * address of this machine.
     */
    private String advertisedHost;

    /**
     * Listeners by transport name ("tcp"; "http2" with courier-transport-http2; "rest" with courier-transport-rest).
     * Empty means one tcp listener on port 7070; a transport listed (by any of its properties) listens, on port 0 if
     * no port is given.
     */
    private Map<String, Transport> transports = new LinkedHashMap<>();

    /** Worker threads running calls. */
    private int workerThreads = 200;

    /** Calls that may wait for a worker; beyond that a call fails at once with RESOURCE_EXHAUSTED. */
    private int workerQueue = 1024;

    /**
     * How long calls in flight may finish at shutdown, after the server is deregistered and stops accepting. Keep
     * it below spring.lifecycle.timeout-per-shutdown-phase (30s by default).
     */
    private Duration shutdownGracePeriod = Duration.ofSeconds(10);

    /** The registered weight: this server's share of calls under weighted balancers, 1..1000000. */
    private int weight = 100;

    /** Free-form labels registered with every service, for example zone: eu-1. */
    private Map<String, String> metadata = new LinkedHashMap<>();

    /** Names of beans never to export although they implement an @RpcService interface. */
    private List<String> excludedBeans = new ArrayList<>();

    private final Tls tls = new Tls();

    private final ServerAuth auth = new ServerAuth();

    private final ServerConsole console = new ServerConsole();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getHost() {
      return host;
    }

    public void setHost(String host) {
      this.host = host;
    }

    public String getAdvertisedHost() {
      return advertisedHost;
    }

    public void setAdvertisedHost(String advertisedHost) {
      this.advertisedHost = advertisedHost;
    }

    public Map<String, Transport> getTransports() {
      return transports;
    }

    public void setTransports(Map<String, Transport> transports) {
      this.transports = transports;
    }

    public int getWorkerThreads() {
      return workerThreads;
    }

    public void setWorkerThreads(int workerThreads) {
      this.workerThreads = workerThreads;
    }

    public int getWorkerQueue() {
      return workerQueue;
    }

    public void setWorkerQueue(int workerQueue) {
      this.workerQueue = workerQueue;
    }

    public Duration getShutdownGracePeriod() {
      return shutdownGracePeriod;
    }

    public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
      this.shutdownGracePeriod = shutdownGracePeriod;
    }

    public int getWeight() {
      return weight;
    }

    public void setWeight(int weight) {
      this.weight = weight;
    }

    public Map<String, String> getMetadata() {
      return metadata;
    }

    public void setMetadata(Map<String, String> metadata) {
      this.metadata = metadata;
    }

    public List<String> getExcludedBeans() {
      return excludedBeans;
    }

    public void setExcludedBeans(List<String> excludedBeans) {
      this.excludedBeans = excludedBeans;
    }

    public Tls getTls() {
      return tls;
    }

    public ServerAuth getAuth() {
      return auth;
    }

    public ServerConsole getConsole() {
      return console;
    }
  }

  /** One listener of the server. */
  public static class Transport {

    /** Whether this listener is started. */
    private boolean enabled = true;

    /** The port; 0 picks a free one (fine with a registry, which publishes the bound port). */
    private int port;

    /**
     * http2 only: whether to answer gRPC server reflection (grpc.reflection.v1 and v1alpha), so that grpcurl and
     * other stock tools list and describe the services; maps to Http2Options.REFLECTION. Reflection calls pass the
     * server's authentication like any call. Set on another transport, or on a disabled listener, start-up fails.
     */
    private boolean reflection;

    /**
     * rest only: whether to answer GET /courier/services and /courier/services/{name} with the services'
     * descriptions as JSON; maps to RestOptions.DESCRIBE_SERVICES. Requests pass the server's authentication like
     * any call. Set on another transport, or on a disabled listener, start-up fails.
     */
    private boolean describeServices;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getPort() {
      return port;
    }

    public void setPort(int port) {
      this.port = port;
    }

    public boolean isReflection() {
      return reflection;
    }

    public void setReflection(boolean reflection) {
      this.reflection = reflection;
    }

    public boolean isDescribeServices() {
      return describeServices;
    }

    public void setDescribeServices(boolean describeServices) {
      this.describeServices = describeServices;
    }
  }

  /** Bearer-token authentication of incoming calls. */
  public static class ServerAuth {

    /**
     * Accepted bearer tokens by caller name, for example billing: ${BILLING_TOKEN}. When set, every call must carry
     * one of them ("authorization: Bearer <token>") or fails with UNAUTHENTICATED.
     */
    private Map<String, String> tokens = new LinkedHashMap<>();

    public Map<String, String> getTokens() {
      return tokens;
    }

    public void setTokens(Map<String, String> tokens) {
      this.tokens = tokens;
    }
  }

  /**
   * The console: a web page and JSON endpoints showing this server's services, providers and figures, with try-it and
   * offline/online/drain (docs/console.md), served under the actuator's base path of a servlet web application.
   */
  public static class ServerConsole {

    /**
     * Whether to serve the console at ${management.endpoints.web.base-path}/courier/console/
     * (/actuator/courier/console/ by default). Needs a servlet web application and a server with services; start-up
     * fails otherwise.
     */
    private boolean enabled;

    /**
     * Whether callers from other than a loopback address may use the console (refused with 403 otherwise). Set
     * courier.server.auth.tokens first: try-it and the operator actions need an authenticated caller anyway.
     */
    private boolean allowRemote;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isAllowRemote() {
      return allowRemote;
    }

    public void setAllowRemote(boolean allowRemote) {
      this.allowRemote = allowRemote;
    }
  }

  /** The shared RpcClient that makes every stub. */
  public static class Client {

    /** Whether to create the shared RpcClient (it is created when a registry or addresses are configured). */
    private boolean enabled = true;

    /** The transport calls use, by name. */
    private String transport = "tcp";

    /** The default serializer by name (kryo, json, protobuf, hessian); defaults to kryo when it is present. */
    private String serializer;

    /** The timeout of calls that set none (per reference, per method with @Timeout). */
    private Duration defaultTimeout = Duration.ofSeconds(5);

    /** The load balancer of services that choose none: p2c, random, round-robin, least-active, consistent-hash. */
    private String loadBalancer = "p2c";

    /** The fault-tolerance mode of services that choose none. */
    private ClusterMode clusterMode = ClusterMode.FAILOVER;

    /** Fixed provider addresses (host:port) used instead of a registry, for tests and small deployments. */
    private List<String> addresses = new ArrayList<>();

    /** Whether to register this application as a consumer of each service it calls, so operators see who calls what. */
    private boolean registerConsumer;

    private final Tls tls = new Tls();

    private final ClientAuth auth = new ClientAuth();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getTransport() {
      return transport;
    }

    public void setTransport(String transport) {
      this.transport = transport;
    }

    public String getSerializer() {
      return serializer;
    }

    public void setSerializer(String serializer) {
      this.serializer = serializer;
    }

    public Duration getDefaultTimeout() {
      return defaultTimeout;
    }

    public void setDefaultTimeout(Duration defaultTimeout) {
      this.defaultTimeout = defaultTimeout;
    }

    public String getLoadBalancer() {
      return loadBalancer;
    }

    public void setLoadBalancer(String loadBalancer) {
      this.loadBalancer = loadBalancer;
    }

    public ClusterMode getClusterMode() {
      return clusterMode;
    }

    public void setClusterMode(ClusterMode clusterMode) {
      this.clusterMode = clusterMode;
    }

    public List<String> getAddresses() {
      return addresses;
    }

    public void setAddresses(List<String> addresses) {
      this.addresses = addresses;
    }

    public boolean isRegisterConsumer() {
      return registerConsumer;
    }

    public void setRegisterConsumer(boolean registerConsumer) {
      this.registerConsumer = registerConsumer;
    }

    public Tls getTls() {
      return tls;
    }

    public ClientAuth getAuth() {
      return auth;
    }
  }

  /** The bearer token sent with every call. */
  public static class ClientAuth {

    /** Sent as "authorization: Bearer <token>" with every call when set. */
    private String token;

    public String getToken() {
      return token;
    }

    public void setToken(String token) {
      this.token = token;
    }
  }

  /** TLS of the server or the client (PEM files); maps to io.courier.transport.TlsConfig. */
  public static class Tls {

    /**
     * Whether to use TLS. While it is off, any other TLS property set fails start-up: that side would speak cleartext
     * while its settings name a certificate.
     */
    private boolean enabled;

    /** This side's certificate chain (PEM): required on a server, for mutual TLS on a client. */
    private Path certificateChain;

    /** The private key of the certificate chain (PKCS#8 PEM). */
    private Path privateKey;

    /** The password of an encrypted private key. */
    private String privateKeyPassword;

    /** The certificates (or authorities) to trust (PEM); unset: the JDK's default authorities. */
    private Path trustCertificates;

    /** Server only: whether clients must present a certificate signed by a trusted authority (mutual TLS). */
    private TlsConfig.ClientAuth clientAuth = TlsConfig.ClientAuth.NONE;

    /** Protocol versions allowed, for example TLSv1.3; empty: the provider's defaults. */
    private List<String> protocols = new ArrayList<>();

    /** Cipher suites allowed; empty: the provider's defaults. */
    private List<String> ciphers = new ArrayList<>();

    /** The TLS implementation: AUTO (OpenSSL when present, else the JDK's), JDK or OPENSSL. */
    private TlsConfig.Provider provider = TlsConfig.Provider.AUTO;

    /** Server only: serve cleartext clients too, next to TLS (a migration aid); default false. */
    private boolean allowPlaintext;

    /** How often, at most, the PEM files are checked for changes; 0 reads them once, at start. */
    private Duration reloadInterval = Duration.ofSeconds(TlsConfig.DEFAULT_RELOAD_SECONDS);

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public Path getCertificateChain() {
      return certificateChain;
    }

    public void setCertificateChain(Path certificateChain) {
      this.certificateChain = certificateChain;
    }

    public Path getPrivateKey() {
      return privateKey;
    }

    public void setPrivateKey(Path privateKey) {
      this.privateKey = privateKey;
    }

    public String getPrivateKeyPassword() {
      return privateKeyPassword;
    }

    public void setPrivateKeyPassword(String privateKeyPassword) {
      this.privateKeyPassword = privateKeyPassword;
    }

    public Path getTrustCertificates() {
      return trustCertificates;
    }

    public void setTrustCertificates(Path trustCertificates) {
      this.trustCertificates = trustCertificates;
    }

    public TlsConfig.ClientAuth getClientAuth() {
      return clientAuth;
    }

    public void setClientAuth(TlsConfig.ClientAuth clientAuth) {
      this.clientAuth = clientAuth;
    }

    public List<String> getProtocols() {
      return protocols;
    }

    public void setProtocols(List<String> protocols) {
      this.protocols = protocols;
    }

    public List<String> getCiphers() {
      return ciphers;
    }

    public void setCiphers(List<String> ciphers) {
      this.ciphers = ciphers;
    }

    public TlsConfig.Provider getProvider() {
      return provider;
    }

    public void setProvider(TlsConfig.Provider provider) {
      this.provider = provider;
    }

    public boolean isAllowPlaintext() {
      return allowPlaintext;
    }

    public void setAllowPlaintext(boolean allowPlaintext) {
      this.allowPlaintext = allowPlaintext;
    }

    public Duration getReloadInterval() {
      return reloadInterval;
    }

    public void setReloadInterval(Duration reloadInterval) {
      this.reloadInterval = reloadInterval;
    }
  }

  /** Micrometer metrics of every call (when Micrometer is on the class path). */
  public static class Metrics {

    /** Whether to record courier.client.* and courier.server.* meters. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Micrometer Observation of every call: tracing spans, trace context carried in call metadata. */
  public static class Observation {

    /** Whether to observe calls (and so propagate traces) when an ObservationRegistry is present. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }
}
