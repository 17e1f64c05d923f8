package io.courier.registry.zookeeper;

import java.io.IOException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * ZooKeeper's client, telling the newest transaction id it has seen: an ensemble that answers with an older one has
 * lost what this session knew (it was wiped or replaced), and refuses the session's reconnection until it times out.
 */
final class SessionZooKeeper extends ZooKeeper {

  SessionZooKeeper(String connectString, int sessionTimeout, Watcher watcher, boolean canBeReadOnly,
      ZKClientConfig config) throws IOException {
    super(connectString, sessionTimeout, watcher, canBeReadOnly, config);
  }

  /** The newest zxid this client has seen; 0 if none. */
  long lastZxid() {
    return cnxn.getLastZxid();
  }
}
