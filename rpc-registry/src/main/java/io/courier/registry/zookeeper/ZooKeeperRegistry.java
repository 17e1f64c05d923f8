package io.courier.registry.zookeeper;

import io.courier.registry.Registry;
import io.courier.registry.RegistryException;
import io.courier.registry.ServiceInstance;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryUntilElapsed;
import org.apache.curator.utils.ZKPaths;
import org.apache.curator.utils.ZookeeperFactory;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link io.courier.registry.Registry} in ZooKeeper, through Apache Curator. Providers are ephemeral nodes
 * {@code <root>/<service>/providers/<id>} holding the instance as JSON; consumers, when they register, are
 * {@code <root>/<service>/consumers/<id>}. The layout, the JSON and the behaviour on outages are in
 * {@code docs/registry.md}.
 *
 * <pre>{@code
 * try (ZooKeeperRegistry registry = ZooKeeperRegistry.builder("10.0.0.2:2181,10.0.0.3:2181")
 *     .connectTimeout(Duration.ofSeconds(5))
 *     .snapshotFile(Path.of("/var/lib/orders/providers.json"))
 *     .build()) {
 *   RpcClient client = RpcClient.builder().registry(registry).build();
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Registrations are Curator {@link PersistentNode}s: after a session expiry they are created again by
 *       themselves.
 *   <li>Subscriptions are {@link CuratorCache}s of a service's {@code providers} node; listeners get the whole list
 *       after every change, within milliseconds.
 *   <li>While ZooKeeper is unreachable, listeners keep the last list they got (nothing is removed for that), the
 *       loss is logged once at WARN and the recovery at INFO.
 *   <li>With a snapshot file, every list received is saved, and a registry that cannot reach ZooKeeper when built
 *       starts from the file instead of failing.
 * </ul>
 */
public final class ZooKeeperRegistry implements Registry {

  private static final Logger log = LoggerFactory.getLogger(ZooKeeperRegistry.class);

  /** How long building waits for ZooKeeper, and the bound on every later wait. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** The session timeout asked for; the server may grant less. A crashed provider disappears after it. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(30);
  /** Where Courier's nodes live unless the address has a path. */
  public static final String DEFAULT_ROOT = "/courier";
  /**
   * The ACL nodes get when the registry has credentials and no other ACL is set: everything for the identities that
   * created the node (its providers' digest user or SASL principal), reading for anyone (so discovery needs none).
   */
  public static final List<ACL> CREATOR_ALL_ANYONE_READ = Acls.CREATOR_ALL_ANYONE_READ;

  private final String connectString;
  private final String root;
  private final Duration connectTimeout;
  private final String description;
  private final CuratorFramework client;
  private final SnapshotFile snapshot;
  private final AutoCloseable ownedServer;
  private final DigestCredentials digest; // null: no digest identity
  private final SaslSetting sasl;
  private final List<ACL> acl; // given to every node this registry creates
  private final ExecutorService withdrawals;
  // Curator's "run safe" executor, ours so that close() ends its thread: Curator never shuts down the one it makes.
  private final ExecutorService notifications;
  // While disconnected: asks the ensemble whether it lost this session's data (checkForLostData).
  private final ScheduledExecutorService watchdog;
  private ScheduledFuture<?> lostDataCheck; // guarded by this; running while disconnected
  private volatile SessionZooKeeper zooKeeper; // the client Curator uses now
  private final Set<String> checkedAcls = ConcurrentHashMap.newKeySet(); // ancestors seen
  private final Object authLock = new Object();
  private volatile boolean saslSettled; // the SASL login succeeded (notified on authLock)
  private volatile boolean authFailed; // the ensemble refused this client's login (a SASL AuthFailed)
  private volatile boolean warnedNoCredentials;
  private final Map<String, PersistentNode> registrations = new LinkedHashMap<>(); // guarded by this
  private final Map<String, ServiceWatch> watches = new LinkedHashMap<>(); // guarded by this
  private volatile Map<String, List<ServiceInstance>> snapshotLists = Map.of();
  private final AtomicBoolean snapshotPending =
      new AtomicBoolean();
  private volatile long checkedSession; // the session whose ownership of the registration nodes was last checked
  private volatile boolean unreachable;
  private volatile boolean sessionLostLogged; // the LOST of this outage was reported
  private volatile long unreachableSince;
  private boolean closed; // guarded by this

  private ZooKeeperRegistry(Builder b) {
    ZooKeeperLogLevels.apply(); // Courier reports connectivity itself; before ZooKeeper's client logs anything
    this.connectString = b.connectString;
    this.root = b.root;
    this.connectTimeout = b.connectTimeout;
    this.description = "zookeeper://" + connectString + root;
    this.snapshot = b.snapshotFile == null ? null : new SnapshotFile(b.snapshotFile, description);
    this.ownedServer = b.ownedServer;
    this.digest = b.digest;
    this.sasl = SaslSetting.decide(b.sasl, System::getProperty, SaslSetting::jaasHasSection);
    if (sasl.enabled() && sasl.explicit() && !SaslSetting.jaasHasSection(sasl.section())) {
      throw new RegistryException("a SASL login to ZooKeeper at " + connectString + " was asked for (" + sasl.reason()
          + ") but the JAAS configuration has no '" + sasl.section() + "' section (java.security.auth.login.config="
          + System.getProperty("java.security.auth.login.config") + "); add the section, or set ?sasl=false");
    }
    this.acl = b.acl != null ? b.acl
        : digest != null || sasl.enabled() ? Acls.CREATOR_ALL_ANYONE_READ : Acls.OPEN;
    if (digest == null && !sasl.enabled() && acl.stream().anyMatch(a -> "auth".equals(a.getId().getScheme()))) {
      throw new IllegalArgumentException("acl: " + Acls.describe(acl) + " gives nodes to their creator, but this"
          + " registry has no credentials (expected: ?credentials=file:/path or Builder.digest, or a SASL login)");
    }
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
    this.notifications = Executors.newSingleThreadExecutor(daemonThreads("courier-zookeeper-notify"));
    this.watchdog = Executors.newSingleThreadScheduledExecutor(daemonThreads("courier-zookeeper-watchdog"));
    ZKClientConfig zkConfig = new ZKClientConfig();
    // Off unless asked for (SaslSetting): no JAAS lookups, and no warning on every connection about a missing section.
    zkConfig.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, Boolean.toString(sasl.enabled()));
    CuratorFrameworkFactory.Builder curator = CuratorFrameworkFactory.builder()
        .connectString(connectString)
        .connectionTimeoutMs(timeoutMs)
        .sessionTimeoutMs((int) Math.min(Integer.MAX_VALUE, b.sessionTimeout.toMillis()))
        // Foreground operations (a delete on unregister) retry for at most the connect timeout.
        .retryPolicy(new RetryUntilElapsed(timeoutMs, 100))
        .zkClientConfig(zkConfig)
        .zookeeperFactory(new AuthWatchingFactory(zkConfig))
        .aclProvider(new FixedAcl(acl))
        .threadFactory(daemonThreads("courier-zookeeper"))
        .runSafeService(notifications);
    if (digest != null) {
      curator.authorization("digest", digest.authBytes());
    }
    this.client = curator.build();
    if (sasl.enabled()) {
      log.info("ZooKeeper at {}: logging in with SASL, JAAS section '{}' ({})", connectString, sasl.section(),
          sasl.reason());
    }
    this.withdrawals = Executors.newSingleThreadExecutor(daemonThreads("courier-zookeeper-withdraw"));
    client.getConnectionStateListenable().addListener((c, state) -> onConnectionState(state));
    client.start();
    boolean connected;
    try {
      connected = client.blockUntilConnected(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutDown();
      throw new RegistryException("interrupted while connecting to ZooKeeper at " + connectString, e);
    }
    if (connected) {
      try {
        checkLogin(timeoutMs);
      } catch (RuntimeException e) {
        shutDown();
        throw e;
      }
    }
    if (!connected && authFailed) {
      shutDown();
      throw new RegistryException(loginRefused());
    }
    if (!connected) {
      Map<String, List<ServiceInstance>> saved = snapshot == null ? null : snapshot.read();
      if (saved == null) {
        shutDown();
        throw new RegistryException("cannot reach ZooKeeper at " + connectString + " within " + timeoutMs
            + " ms (check the address and that the ensemble is running; raise the wait with ?connectTimeout=15s"
            + (snapshot == null ? "; or set ?snapshot=/path/file.json so consumers can start from the last known"
                + " providers" : "; the snapshot " + snapshot.path() + " to start from does not exist, is unreadable,"
                + " is in another format or was saved for another root (the log says which)")
            + ")");
      }
      snapshotLists = saved;
      markUnreachable("not reachable at start");
      if (client.getZookeeperClient().isConnected()) {
        unreachable = false; // connected between the wait and now: the CONNECTED event may have come and gone
      }
      log.warn("ZooKeeper at {} is unreachable; starting from the snapshot {} ({} services) and connecting in the"
          + " background", connectString, snapshot.path(), saved.size());
    }
  }

  /** A builder for a registry on the ensemble {@code connectString} ({@code host:port[,host:port...]}). */
  public static Builder builder(String connectString) {
    return new Builder(connectString);
  }

  /** The ensemble, {@code host:port[,host:port...]}. */
  public String connectString() {
    return connectString;
  }

  /** Whether the session is connected right now. */
  @Override
  public boolean isConnected() {
    return client.getZookeeperClient().isConnected();
  }

  /** The Curator client, for tests and tools (for example to inspect the nodes); do not close it. */
  public CuratorFramework curator() {
    return client;
  }

  @Override
  public void register(ServiceInstance instance) {
    String path = path(instance);
    byte[] data = InstanceJson.toBytes(instance);
    PersistentNode node;
    synchronized (this) {
      checkOpen();
      PersistentNode previous = registrations.get(path);
      if (previous != null && previous.getActualPath() != null) {
        try {
          previous.setData(data); // same id again: new data, no gap for watchers
          return;
        } catch (Exception e) {
          log.debug("replacing the registration {} instead of updating it", path, e);
        }
      }
      if (previous != null) {
        registrations.remove(path);
        withdraw(previous, path);
      }
    }
    if (!unreachable && isConnected()) {
      noteMissingCredentials(instance);
      secureAncestors(path);
      createNow(path, data); // so that a refusal fails here, saying why, rather than in the background
    }
    synchronized (this) {
      checkOpen();
      PersistentNode previous = registrations.remove(path); // registered again by another thread meanwhile
      if (previous != null) {
        withdraw(previous, path);
      }
      node = new PersistentNode(client, CreateMode.EPHEMERAL, false, path, data);
      node.start();
      registrations.put(path, node);
    }
    try {
      if (!node.waitForInitialCreate(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("{} is not in ZooKeeper at {} yet: it is unreachable; the registration is made when it is back",
            instance, connectString);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void unregister(ServiceInstance instance) {
    String path = path(instance);
    PersistentNode node;
    synchronized (this) {
      node = registrations.remove(path);
    }
    if (node != null) {
      withdraw(node, path);
    }
  }

  /** Deletes at once when connected; while ZooKeeper is unreachable, in the background (the session ends it too). */
  private void withdraw(PersistentNode node, String path) {
    if (client.getState() != CuratorFrameworkState.STARTED) {
      return; // the session is over, and its ephemeral nodes with it
    }
    if (!unreachable && isConnected()) { // the flag follows a lost connection late: ask the client too
      closeNode(node, path);
    } else {
      try {
        withdrawals.execute(() -> closeNode(node, path));
      } catch (RejectedExecutionException closing) {
        closeNode(node, path);
      }
    }
  }

  private void closeNode(PersistentNode node, String path) {
    try {
      node.close();
    } catch (IOException | RuntimeException e) {
      log.warn("could not delete {} from ZooKeeper at {}; it goes when this registry's session ends", path,
          connectString, e);
    }
  }

  @Override
  public Subscription subscribe(String service, Listener listener) {
    Objects.requireNonNull(listener, "listener");
    ServiceWatch watch;
    synchronized (this) {
      checkOpen();
      watch = watches.get(service);
      if (watch == null) {
        watch = new ServiceWatch(service);
        watches.put(service, watch);
        watch.start();
      }
      watch.joining++; // so that the last listener leaving meanwhile does not close it under this one
    }
    return watch.add(listener);
  }

  @Override
  public String describe() {
    return description;
  }

  /**
   * Stops the subscriptions, withdraws the registrations, ends the session (which removes any ephemeral node left)
   * and stops an embedded server this registry started. Idempotent.
   */
  @Override
  public void close() {
    List<ServiceWatch> toStop;
    Map<String, PersistentNode> toWithdraw;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toStop = new ArrayList<>(watches.values());
      toWithdraw = new LinkedHashMap<>(registrations);
      watches.clear();
      registrations.clear();
    }
    toStop.forEach(ServiceWatch::close);
    if (!unreachable && isConnected() && client.getState() == CuratorFrameworkState.STARTED) {
      toWithdraw.forEach((path, node) -> closeNode(node, path));
    } // else the session's end removes them; deleting one by one would wait the connect timeout each
    shutDown();
  }

  private void shutDown() {
    if (snapshot != null && snapshotPending.get()) {
      writeSnapshot(); // the last lists, before the thread that would have written them stops
    }
    watchdog.shutdownNow();
    withdrawals.shutdown();
    try {
      if (!withdrawals.awaitTermination(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        withdrawals.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      withdrawals.shutdownNow();
    }
    try {
      client.close();
    } catch (RuntimeException e) {
      log.warn("closing the ZooKeeper client for {} failed", connectString, e);
    }
    notifications.shutdown();
    try {
      if (!notifications.awaitTermination(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        notifications.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      notifications.shutdownNow();
    }
    if (ownedServer != null) {
      try {
        ownedServer.close();
      } catch (Exception e) {
        log.warn("stopping the embedded ZooKeeper failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "ZooKeeperRegistry{" + description + (digest != null ? ", " + digest : "")
        + (sasl.enabled() ? ", sasl" : "") + (unreachable ? ", unreachable" : "") + "}";
  }

  // --- authentication and ACLs -------------------------------------------------------------------------------------

  /** Who this registry is to ZooKeeper, for messages; never a password. */
  private String identity() {
    if (digest != null) {
      return digest + (sasl.enabled() ? " and the SASL login of JAAS section '" + sasl.section() + "'" : "");
    }
    return sasl.enabled() ? "the SASL login of JAAS section '" + sasl.section() + "'" : "a client without credentials";
  }

  private String loginRefused() {
    return "ZooKeeper at " + connectString + " refused the login of " + identity() + " (AuthFailed): check the user"
        + " name and password (or principal and keytab) in the JAAS section '" + sasl.section() + "', and that the"
        + " ensemble accepts SASL logins"
        + " (authProvider.sasl=org.apache.zookeeper.server.auth.SASLAuthenticationProvider)";
  }

  /**
   * Once connected at build time: waits for the SASL login to succeed or fail, checks that the root can be read, and
   * checks digest credentials against the root's ACL (ZooKeeper accepts any digest credentials and only refuses what
   * they are then used for, so a wrong password would otherwise show first as a registration refused).
   */
  private void checkLogin(long timeoutMs) {
    if (sasl.enabled()) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      synchronized (authLock) {
        while (!saslSettled && !authFailed) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0) {
            break;
          }
          try {
            authLock.wait(left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted during the SASL login to ZooKeeper at " + connectString, e);
          }
        }
      }
      if (authFailed) {
        throw new RegistryException(loginRefused());
      }
      if (!saslSettled) {
        throw new RegistryException("the SASL login of " + identity() + " to ZooKeeper at " + connectString
            + " did not finish within " + timeoutMs + " ms (check that the ensemble accepts SASL logins, or set"
            + " ?sasl=false)");
      }
    }
    checkAccess();
  }

  private void checkAccess() {
    List<ACL> rootAcl;
    try {
      rootAcl = client.getACL().forPath(root);
    } catch (KeeperException.NoNodeException e) {
      return; // nothing yet: the first registration creates it with this registry's ACL
    } catch (KeeperException.NoAuthException e) {
      throw new RegistryException(identity() + " may not read " + root + " in ZooKeeper at " + connectString
          + " (NoAuth): " + (digest != null ? "check the credentials in " + digest.source()
          : "its nodes are readable only with credentials (?credentials=file:/path, or a SASL login)"), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted while checking the credentials for ZooKeeper at " + connectString, e);
    } catch (Exception e) {
      log.debug("could not read the ACL of {} to check the credentials; registering will tell", root, e);
      return;
    }
    if (digest == null) {
      return;
    }
    List<String> users = Acls.digestUsers(rootAcl);
    Id mine = new Id("digest", digest.aclId());
    // ZooKeeper shows another identity's digest as "user:x" to a client without ADMIN on the node; an entry that
    // grants ADMIN to our user shows its hash only if these credentials are the ones it names.
    boolean otherPassword = rootAcl.stream().anyMatch(a -> "digest".equals(a.getId().getScheme())
        && a.getId().getId().startsWith(digest.user() + ":") && !a.getId().equals(mine)
        && (!a.getId().getId().endsWith(":x") || (a.getPerms() & ZooDefs.Perms.ADMIN) != 0));
    if (otherPassword && rootAcl.stream().noneMatch(a -> a.getId().equals(mine))) {
      throw new RegistryException("ZooKeeper at " + connectString + " does not accept the password of digest user '"
          + digest.user() + "': the ACL of " + root + " names that user with other credentials (a wrong password?);"
          + " check " + digest.source());
    }
    if (!users.contains(digest.user()) && !Acls.letsAnyoneChange(rootAcl)) {
      log.warn("digest user '{}' is not among those {} grants anything to in ZooKeeper at {} ({}): registering under"
          + " it will be refused", digest.user(), root, connectString, Acls.describe(rootAcl));
    }
  }

  private void noteMissingCredentials(ServiceInstance instance) {
    if (Acls.letsAnyoneChange(acl) && ownedServer == null && !warnedNoCredentials) {
      warnedNoCredentials = true;
      log.info("registering {} in ZooKeeper at {} without credentials: anyone who reaches the ensemble can change or"
          + " delete its nodes (set ?credentials=file:/path; docs/registry.md, ACLs and authentication)",
          instance.service(), connectString);
    }
  }

  /**
   * Secures Courier's nodes above a registration — the root, the service and its category — when this registry's ACL
   * is not open. The root is made persistent ({@link #makeRootPersistent}). A node that lets anyone change it (a tree
   * made before credentials were configured) gets this registry's ACL; if it may not be given it, the registration
   * fails: under such a node anyone could add or delete providers, whatever the ACL of the providers' own nodes.
   * The service and category nodes are looked at once, the root on every registration.
   */
  private void secureAncestors(String path) {
    if (Acls.letsAnyoneChange(acl)) {
      return; // an open ACL was asked for
    }
    makeRootPersistent();
    String category = ZKPaths.getPathAndNode(path).getPath();
    String service = ZKPaths.getPathAndNode(category).getPath();
    for (String p : List.of(root, service, category)) {
      // the root on every registration: while empty it can be deleted and made again by whoever may delete its
      // parent's children; the nodes below it only by those its own ACL lets
      if (!checkedAcls.add(p) && !p.equals(root)) {
        continue;
      }
      try {
        Stat stat = new Stat();
        List<ACL> current = client.getACL().storingStatIn(stat).forPath(p);
        if (!Acls.letsAnyoneChange(current)) {
          continue;
        }
        try {
          client.setACL().withVersion(stat.getAversion()).withACL(acl).forPath(p);
          log.warn("ZooKeeper node {} at {} let anyone change it ({}; made before credentials were configured): it is"
              + " now {}'s, {}", p, connectString, Acls.describe(current), identity(), Acls.describe(acl));
        } catch (KeeperException.NoAuthException e) {
          if (!Acls.letsAnyoneAddOrDelete(current)) {
            log.warn("ZooKeeper node {} at {} lets anyone change it ({}), and {} may not change its ACL: have its"
                + " owner restrict it (docs/registry.md, ACLs and authentication)", p, connectString,
                Acls.describe(current), identity());
            continue;
          }
          checkedAcls.remove(p);
          throw new RegistryException("ZooKeeper node " + p + " at " + connectString + " lets anyone add or delete"
              + " the nodes under it (" + Acls.describe(current) + "), and " + identity() + " may not change its ACL,"
              + " so providers registered under it could be forged or removed by anyone: not registering there. Have"
              + " its owner restrict it, or delete it while it is empty (docs/registry.md, ACLs and authentication)");
        }
      } catch (RegistryException e) {
        throw e;
      } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
        checkedAcls.remove(p); // not there yet (made with this registry's ACL), or changed meanwhile: look next time
      } catch (InterruptedException e) {
        checkedAcls.remove(p);
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        checkedAcls.remove(p);
        log.debug("could not check the ACL of {}", p, e);
      }
    }
  }

  /**
   * Makes the root a persistent node with this registry's ACL when it is missing. Made with a registration's other
   * parents it would be a container node, which ZooKeeper removes once the last service under it is gone — and its
   * ACL with it, so that anyone could then create the root again, open, and add providers under it. A root that
   * exists is left as it is (ZooKeeper does not show a client whether a node is a container).
   */
  private void makeRootPersistent() {
    try {
      client.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT).forPath(root);
    } catch (KeeperException.NodeExistsException e) {
      // made before: by a provider (persistent), or as a container by an earlier Courier, gone once empty
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // NoAuth on the root's parent, or the connection lost: creating the registration below says why, or retries
      log.debug("could not create {} at once", root, e);
    }
  }

  /** Creates a registration's node (and its parents) at once; a refusal throws, saying what refused it. */
  private void createNow(String path, byte[] data) {
    try {
      client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
    } catch (KeeperException.NodeExistsException e) {
      // an earlier registration of this id: the recipe takes it over
    } catch (KeeperException.NoAuthException | KeeperException.InvalidACLException e) {
      throw new RegistryException(refused(path, e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.debug("could not create {} at once; it is made in the background", path, e);
    }
  }

  private String refused(String path, KeeperException e) {
    String parent = ZKPaths.getPathAndNode(path).getPath();
    String grants = "";
    while (parent != null && !parent.isEmpty()) {
      try {
        grants = "; " + parent + " grants " + Acls.describe(client.getACL().forPath(parent));
        break;
      } catch (KeeperException.NoNodeException missing) {
        parent = "/".equals(parent) ? null : ZKPaths.getPathAndNode(parent).getPath();
      } catch (Exception other) {
        break;
      }
    }
    return "ZooKeeper at " + connectString + " refused to create " + path + " for " + identity() + " ("
        + e.code() + grants + "): register with the credentials of the providers that made those nodes, or have"
        + " their ACL changed (docs/registry.md, ACLs and authentication)";
  }

  private void onSessionEvent(WatchedEvent event) {
    if (event.getType() != Watcher.Event.EventType.None || event.getState() == null) {
      return; // ZooKeeper queues a state-less event when its SASL client cannot even start
    }
    switch (event.getState()) {
      case AuthFailed -> {
        boolean first = !authFailed;
        synchronized (authLock) {
          authFailed = true;
          authLock.notifyAll();
        }
        if (first && saslSettled) {
          log.error(loginRefused());
        }
      }
      case SaslAuthenticated -> {
        synchronized (authLock) {
          saslSettled = true;
          authFailed = false;
          authLock.notifyAll();
        }
      }
      default -> { }
    }
  }

  /** Makes Curator's ZooKeeper clients, passing their session events to {@link #onSessionEvent} first. */
  private final class AuthWatchingFactory implements ZookeeperFactory {
    private final ZKClientConfig config;

    AuthWatchingFactory(ZKClientConfig config) {
      this.config = config;
    }

    @Override
    public ZooKeeper newZooKeeper(String connect, int sessionTimeout, Watcher watcher, boolean canBeReadOnly)
        throws Exception {
      return newZooKeeper(connect, sessionTimeout, watcher, canBeReadOnly, config);
    }

    @Override
    public ZooKeeper newZooKeeper(String connect, int sessionTimeout, Watcher watcher, boolean canBeReadOnly,
        ZKClientConfig zkConfig) throws Exception {
      Watcher watching = event -> {
        onSessionEvent(event);
        watcher.process(event);
      };
      SessionZooKeeper made = new SessionZooKeeper(connect, sessionTimeout, watching, canBeReadOnly, zkConfig);
      zooKeeper = made;
      return made;
    }
  }

  /** The same ACL for every node. */
  private record FixedAcl(List<ACL> acl) implements ACLProvider {
    @Override
    public List<ACL> getDefaultAcl() {
      return acl;
    }

    @Override
    public List<ACL> getAclForPath(String path) {
      return acl;
    }
  }

  // --- layout ------------------------------------------------------------------------------------------------------

  /** {@code <root>/<service, URL-encoded>}. */
  String servicePath(String service) {
    return ZKPaths.makePath(root, URLEncoder.encode(service, StandardCharsets.UTF_8));
  }

  String path(ServiceInstance instance) {
    String category = instance.role() == ServiceInstance.Role.PROVIDER ? "providers" : "consumers";
    return ZKPaths.makePath(servicePath(instance.service()), category, instance.id());
  }

  // --- connection state --------------------------------------------------------------------------------------------

  private void onConnectionState(ConnectionState state) {
    switch (state) {
      case SUSPENDED, LOST -> watchForLostData(true);
      case CONNECTED, RECONNECTED -> watchForLostData(false);
      default -> { }
    }
    switch (state) {
      case SUSPENDED, LOST -> {
        if (!unreachable) {
          markUnreachable(state.name());
          log.warn("lost contact with ZooKeeper at {} ({}); calls go on: {}", connectString, state, knownState());
        } else if (state == ConnectionState.LOST && !sessionLostLogged) {
          sessionLostLogged = true;
          log.warn("ZooKeeper session for {} ended after {} ms out of touch (LOST); a new one starts when ZooKeeper"
              + " is back, and registrations are made again then", connectString,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - unreachableSince));
        }
      }
      case CONNECTED, RECONNECTED -> {
        if (unreachable) {
          unreachable = false;
          sessionLostLogged = false;
          log.info("ZooKeeper at {} is reachable again after {} ms; registrations and provider lists are refreshed",
              connectString, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - unreachableSince));
        }
        takeOverNodesOfEarlierSessions();
      }
      default -> { }
    }
  }

  /** Starts (while disconnected) or stops checking whether the ensemble lost this session's data. */
  private synchronized void watchForLostData(boolean disconnected) {
    if (disconnected && lostDataCheck == null && !closed) {
      try {
        lostDataCheck = watchdog.scheduleWithFixedDelay(this::checkForLostData, 1, 1, TimeUnit.SECONDS);
      } catch (RejectedExecutionException closing) {
        // shutting down
      }
    } else if (!disconnected && lostDataCheck != null) {
      lostDataCheck.cancel(false);
      lostDataCheck = null;
    }
  }

  /**
   * Once a second while disconnected: if every server that answers has a zxid older than the newest this client has
   * seen, the ensemble lost its data (it was wiped, or replaced by a new one at the same address). ZooKeeper then
   * refuses this session's reconnection without saying why, and Curator would only start a new session once the
   * session timeout has passed out of touch — a window of 30 s by default with no registration at all. Instead the
   * session is ended here, at once: Curator starts a new one, registrations are made again and subscriptions read
   * the providers again, within a second or two of the ensemble answering.
   */
  private void checkForLostData() {
    SessionZooKeeper zk = zooKeeper;
    if (zk == null || isConnected()) {
      return;
    }
    long seen = zk.lastZxid();
    if (seen <= 0) {
      return;
    }
    long newest = -1;
    for (String server : connectString.split(",")) {
      OptionalLong zxid = ZooKeeperProbe.zxid(server, 500);
      if (zxid.isPresent()) {
        newest = Math.max(newest, zxid.getAsLong());
      }
    }
    if (newest < 0 || newest >= seen || zk != zooKeeper) {
      return; // nobody answers (an outage), or the ensemble knows what we saw: it will take the session back
    }
    log.warn("ZooKeeper at {} answers but has lost this registry's data (its newest transaction is 0x{}, this"
        + " session has seen 0x{}: the ensemble was wiped or replaced); starting a new session so that registrations"
        + " are made again now", connectString, Long.toHexString(newest), Long.toHexString(seen));
    synchronized (this) {
      if (lostDataCheck != null) {
        lostDataCheck.cancel(false);
        lostDataCheck = null;
      }
    }
    zk.getTestable().injectSessionExpiration();
  }

  /**
   * Once connected under a new session, deletes the registration nodes that still belong to an earlier session of
   * this registry, so that their {@link PersistentNode}s create them again at once under this one.
   *
   * <p>Why: Curator gives a session up when it has been out of touch with ZooKeeper for the session timeout, and
   * starts a new one; but an ensemble that was itself down (or partitioned from us) restores the old session when it
   * comes back and keeps its ephemeral nodes until that session times out too. A PersistentNode that finds its node
   * there just watches it, so a session timeout after ZooKeeper returns, the ensemble deletes the node and the
   * recipe creates it again. Every provider that went through the outage goes through that at the same moment —
   * the ensemble expires the restored sessions together — so consumers would be told, for a few milliseconds, that
   * there is no provider at all, and fail calls. Taking the nodes over as soon as the new session is up turns that
   * into one short gap per provider, at the moment it reconnects. A node at a registration's path can only be this
   * registry's own: the path ends with the instance id. Runs on Curator's event thread, so only in the background.
   */
  private void takeOverNodesOfEarlierSessions() {
    long session;
    try {
      session = client.getZookeeperClient().getZooKeeper().getSessionId();
    } catch (Exception e) {
      return; // between sessions: the next CONNECTED or RECONNECTED checks
    }
    if (session == 0 || session == checkedSession) {
      return;
    }
    checkedSession = session;
    List<String> paths;
    synchronized (this) {
      paths = new ArrayList<>(registrations.keySet());
    }
    for (String path : paths) {
      takeOver(path, session, 3);
    }
  }

  /** Deletes the node at {@code path} if an earlier session owns it; checks again if it changed meanwhile. */
  private void takeOver(String path, long session, int attempts) {
    try {
      client.checkExists().inBackground((c, checked) -> {
        Stat stat = checked.getStat();
        if (stat == null || stat.getEphemeralOwner() == 0 || stat.getEphemeralOwner() == session
            || !stillRegistered(path)) {
          return; // gone (the recipe creates it), or ours already
        }
        log.debug("{} still belongs to an earlier ZooKeeper session (0x{}); replacing it under 0x{}", path,
            Long.toHexString(stat.getEphemeralOwner()), Long.toHexString(session));
        // Only that version: if the recipe wrote to the node meanwhile, look again rather than guess.
        c.delete().withVersion(stat.getVersion()).inBackground((d, deleted) -> {
          if (deleted.getResultCode() == KeeperException.Code.BADVERSION.intValue()
              && attempts > 1) {
            takeOver(path, session, attempts - 1);
          }
        }).forPath(path);
      }).forPath(path);
    } catch (Exception e) {
      log.debug("could not check the owner of {}; ZooKeeper removes it when its old session times out", path, e);
    }
  }

  private synchronized boolean stillRegistered(String path) {
    return !closed && registrations.containsKey(path);
  }

  private void markUnreachable(String why) {
    unreachableSince = System.nanoTime();
    unreachable = true;
    log.debug("ZooKeeper at {} unreachable: {}", connectString, why);
  }

  private synchronized String knownState() {
    List<String> parts = new ArrayList<>();
    watches.forEach((service, watch) -> {
      List<ServiceInstance> current = watch.current;
      parts.add(service + ": " + (current == null ? "none yet" : current.size()));
    });
    String subscribers = parts.isEmpty() ? "" : "the last known providers are kept (" + String.join(", ", parts) + ")";
    int n = registrations.size();
    String registered = n == 0 ? ""
        : n + (n == 1 ? " registration stays" : " registrations stay") + ", or is made again when it is back";
    return subscribers.isEmpty() && registered.isEmpty() ? "nothing registered or watched yet"
        : subscribers.isEmpty() ? registered : registered.isEmpty() ? subscribers : subscribers + "; " + registered;
  }

  /**
   * Schedules a write of the snapshot file off the notification thread (on the watchdog's): changes that come while a
   * write is pending share it, so a busy registry writes the latest lists once instead of once per change, and no
   * subscriber's notification waits for a file (RegistryScaleTest measured p99 601 ms at 250 changes/s before).
   */
  private void saveSnapshot() {
    if (snapshot == null || !snapshotPending.compareAndSet(false, true)) {
      return;
    }
    try {
      watchdog.execute(this::writeSnapshot);
    } catch (RejectedExecutionException closed) {
      snapshotPending.set(false);
    }
  }

  private void writeSnapshot() {
    snapshotPending.set(false); // a change from now on schedules another write
    Map<String, List<ServiceInstance>> lists = new LinkedHashMap<>(snapshotLists);
    synchronized (this) {
      watches.forEach((service, watch) -> {
        if (watch.current != null) {
          lists.put(service, watch.current);
        }
      });
    }
    snapshot.write(lists);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(description + " is closed");
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * The providers of one service: a {@link CuratorCache} of its {@code providers} node and the listeners told about
   * it. Invariant: listeners are called under {@code delivery}, so calls for one subscription never overlap, and
   * {@link #current} only changes there.
   */
  private final class ServiceWatch {
    private final String service;
    private final String providersPath;
    private final CuratorCache cache;
    private final CountDownLatch initialized = new CountDownLatch(1);
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Object delivery = new Object();
    private final Map<String, String> badNodes = new ConcurrentHashMap<>();
    volatile List<ServiceInstance> current;
    int joining; // guarded by ZooKeeperRegistry.this: subscribers given this watch, not yet among its listeners

    ServiceWatch(String service) {
      this.service = service;
      this.providersPath = ZKPaths.makePath(servicePath(service), "providers");
      this.cache = CuratorCache.build(client, providersPath);
      cache.listenable().addListener(CuratorCacheListener.builder()
          .forAll((type, before, after) -> {
            if (initialized.getCount() == 0) {
              refresh();
            }
          })
          .forInitialized(() -> {
            refresh();
            initialized.countDown();
          })
          .build());
    }

    void start() {
      cache.start();
    }

    Subscription add(Listener listener) {
      try {
        if (!unreachable) {
          try {
            initialized.await(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        synchronized (delivery) { // joins the listeners only after its first list, so it gets each list once
          List<ServiceInstance> now = current;
          if (now == null) {
            now = snapshotLists.get(service); // not loaded from ZooKeeper yet: the snapshot, if any
          }
          if (now != null) {
            deliver(listener, now);
          } else {
            log.warn("no provider list for {} yet: ZooKeeper at {} is unreachable or did not answer within {} ms;"
                + " the list is delivered when it arrives", service, connectString, connectTimeout.toMillis());
          }
          listeners.add(listener);
        }
      } finally {
        synchronized (ZooKeeperRegistry.this) {
          joining--;
        }
      }
      return () -> remove(listener);
    }

    private void remove(Listener listener) {
      listeners.remove(listener);
      boolean last;
      synchronized (ZooKeeperRegistry.this) {
        last = listeners.isEmpty() && joining == 0 && watches.get(service) == this;
        if (last) {
          watches.remove(service);
        }
      }
      if (last) {
        close();
      }
    }

    void close() {
      cache.close();
    }

    private void refresh() {
      List<ServiceInstance> instances = new ArrayList<>();
      Set<String> present = new HashSet<>();
      cache.stream().forEach(node -> {
        if (providersPath.equals(ZKPaths.getPathAndNode(node.getPath()).getPath())) {
          present.add(node.getPath());
          ServiceInstance instance = parse(node);
          if (instance != null) {
            instances.add(instance);
          }
        }
      });
      badNodes.keySet().retainAll(present); // a bad node that went is forgotten (and warned about again if back)
      instances.sort(Comparator.comparing(ServiceInstance::id));
      List<ServiceInstance> list = List.copyOf(instances);
      synchronized (delivery) {
        if (list.equals(current)) {
          return;
        }
        current = list;
        for (Listener listener : listeners) {
          deliver(listener, list);
        }
      }
      saveSnapshot();
    }

    private ServiceInstance parse(ChildData node) {
      try {
        // a node another tool wrote may lack an id or start time: its name and creation time stand in, stable
        Instant created = node.getStat() == null ? null : Instant.ofEpochMilli(node.getStat().getCtime());
        ServiceInstance instance = InstanceJson.fromBytes(node.getData() == null ? new byte[0] : node.getData(),
            ZKPaths.getNodeFromPath(node.getPath()), created);
        if (!instance.service().equals(service)) {
          throw new IllegalArgumentException("it names service " + instance.service());
        }
        return instance;
      } catch (IllegalArgumentException e) {
        if (badNodes.put(node.getPath(), "") == null) {
          log.warn("ignoring provider node {} in ZooKeeper at {}: {}", node.getPath(), connectString, e.getMessage());
        }
        return null;
      }
    }

    private void deliver(Listener listener, List<ServiceInstance> list) {
      try {
        listener.onProviders(list);
      } catch (RuntimeException e) {
        log.warn("a listener of {} failed on {} providers", service, list.size(), e);
      }
    }
  }

  /** Configures a {@link ZooKeeperRegistry}; {@link #build()} connects. */
  public static final class Builder {
    private final String connectString;
    private String root = DEFAULT_ROOT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
    private Path snapshotFile;
    private AutoCloseable ownedServer;
    private DigestCredentials digest;
    private Boolean sasl;
    private List<ACL> acl;

    private Builder(String connectString) {
      if (connectString == null || connectString.isBlank()) {
        throw new IllegalArgumentException("connectString: '" + connectString + "' (expected: host:port[,host:port])");
      }
      this.connectString = connectString.replace(" ", "");
    }

    /** The node under which Courier's nodes live; default {@value ZooKeeperRegistry#DEFAULT_ROOT}. */
    public Builder root(String path) {
      String p = path == null ? "" : path.trim();
      if (!p.startsWith("/") || p.length() < 2 || p.endsWith("/")) {
        throw new IllegalArgumentException("root: '" + path + "' (expected: an absolute path such as /courier)");
      }
      this.root = p;
      return this;
    }

    /** How long {@link #build()} and every later wait may take; default 5 seconds. */
    public Builder connectTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout: " + timeout + " (expected: > 0)");
      }
      this.connectTimeout = timeout;
      return this;
    }

    /** The ZooKeeper session timeout asked for; default 30 seconds. */
    public Builder sessionTimeout(Duration timeout) {
      if (timeout == null || timeout.toMillis() < 1) {
        throw new IllegalArgumentException("sessionTimeout: " + timeout + " (expected: >= 1 ms)");
      }
      this.sessionTimeout = timeout;
      return this;
    }

    /**
     * Saves every provider list received to {@code file}, and lets {@link #build()} start from it when ZooKeeper is
     * unreachable; default none.
     */
    public Builder snapshotFile(Path file) {
      this.snapshotFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Authenticates with ZooKeeper's {@code digest} scheme as {@code user}. Nodes this registry creates then get
     * {@link #CREATOR_ALL_ANYONE_READ} unless {@link #acl} says otherwise: only this user (and whoever shares its
     * credentials) can change or delete them, anyone can read them. The password is never logged. From an address:
     * {@code ?credentials=file:/path} (a file holding {@code user:password}) or {@code ?credentials=env:NAME}.
     */
    public Builder digest(String user, String password) {
      this.digest = DigestCredentials.of(user, password, "the credentials given to ZooKeeperRegistry.Builder.digest");
      return this;
    }

    Builder digest(DigestCredentials credentials) {
      this.digest = credentials;
      return this;
    }

    /**
     * Logs in with SASL (the JVM's JAAS configuration, section {@code Client} or {@code zookeeper.sasl.clientconfig})
     * or not. By default SASL is on only if the system property {@code zookeeper.sasl.client} says so or
     * {@code java.security.auth.login.config} names a JAAS file with that section (docs/registry.md).
     */
    public Builder sasl(boolean enabled) {
      this.sasl = enabled;
      return this;
    }

    /**
     * The ACL of every node this registry creates (the root, service and category nodes and the instances); default
     * {@link #CREATOR_ALL_ANYONE_READ} with credentials, {@code world:anyone cdrwa} without.
     */
    public Builder acl(List<ACL> acl) {
      if (acl == null || acl.isEmpty()) {
        throw new IllegalArgumentException("acl: " + acl + " (expected: at least one entry)");
      }
      if (acl.contains(null)) {
        throw new IllegalArgumentException("acl: " + acl + " (expected: no null entry)");
      }
      this.acl = Acls.copy(acl);
      return this;
    }

    /** A server to stop after the registry closes (the embedded ZooKeeper of {@code embedded} addresses). */
    Builder ownedServer(AutoCloseable server) {
      this.ownedServer = server;
      return this;
    }

    /**
     * Connects, waiting up to the connect timeout.
     *
     * @throws RegistryException if ZooKeeper cannot be reached in time and there is no snapshot to start from; the
     *     message says what to check
     */
    public ZooKeeperRegistry build() {
      return new ZooKeeperRegistry(this);
    }
  }
}
