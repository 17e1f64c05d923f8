package io.courier.registry.zookeeper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/** The ACLs Courier gives its nodes, by the names an address uses, and how an ACL is judged and described. */
final class Acls {

  /** Everything for the identities that created the node, reading for anyone. */
  static final List<ACL> CREATOR_ALL_ANYONE_READ = list(
      new ACL(ZooDefs.Perms.ALL, ZooDefs.Ids.AUTH_IDS), new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
  /** Everything for the identities that created the node, nothing for anyone else (discovery needs credentials). */
  static final List<ACL> CREATOR_ONLY = list(new ACL(ZooDefs.Perms.ALL, ZooDefs.Ids.AUTH_IDS));
  /** ZooKeeper's {@code world:anyone cdrwa}: anyone who reaches the ensemble can change or delete the node. */
  static final List<ACL> OPEN = list(new ACL(ZooDefs.Perms.ALL, ZooDefs.Ids.ANYONE_ID_UNSAFE));

  private static final int CHANGES = ZooDefs.Perms.CREATE | ZooDefs.Perms.DELETE | ZooDefs.Perms.WRITE
      | ZooDefs.Perms.ADMIN;

  private Acls() {}

  /**
   * An unmodifiable list that ZooKeeper can check: its client asks {@code acl.contains(null)}, which the JDK's
   * {@code List.of} lists answer with a NullPointerException.
   */
  static List<ACL> list(ACL... entries) {
    return copy(Arrays.asList(entries));
  }

  static List<ACL> copy(List<ACL> acl) {
    return Collections.unmodifiableList(new ArrayList<>(acl));
  }

  /**
   * The ACL an address names with {@code acl=}.
   *
   * @throws IllegalArgumentException for another name
   */
  static List<ACL> named(String name) {
    return switch (name.trim()) {
      case "creator" -> CREATOR_ALL_ANYONE_READ;
      case "creator-only" -> CREATOR_ONLY;
      case "open" -> OPEN;
      default -> throw new IllegalArgumentException("acl: " + name + " (expected: creator, creator-only or open)");
    };
  }

  /** Whether anyone at all (world:anyone) may create, delete, write or administer a node with this ACL. */
  static boolean letsAnyoneChange(List<ACL> acl) {
    for (ACL entry : acl) {
      if (ZooDefs.Ids.ANYONE_ID_UNSAFE.equals(entry.getId()) && (entry.getPerms() & CHANGES) != 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether the ACL lets anyone create or delete the node's children: add or remove providers under it. */
  static boolean letsAnyoneAddOrDelete(List<ACL> acl) {
    for (ACL entry : acl) {
      if (ZooDefs.Ids.ANYONE_ID_UNSAFE.equals(entry.getId())
          && (entry.getPerms() & (ZooDefs.Perms.CREATE | ZooDefs.Perms.DELETE)) != 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether the ACL grants {@code perms} to the digest id (user:hash) given. */
  static boolean grants(List<ACL> acl, Id id, int perms) {
    for (ACL entry : acl) {
      if (entry.getId().equals(id) && (entry.getPerms() & perms) == perms) {
        return true;
      }
    }
    return false;
  }

  /** The digest users an ACL names, for messages (the password hashes left out). */
  static List<String> digestUsers(List<ACL> acl) {
    List<String> users = new ArrayList<>();
    for (ACL entry : acl) {
      if ("digest".equals(entry.getId().getScheme())) {
        String id = entry.getId().getId();
        users.add(id.substring(0, Math.max(0, id.indexOf(':'))));
      }
    }
    return users;
  }

  /** {@code [digest 'provider': cdrwa, world:anyone: r]}; digest hashes are left out. */
  static String describe(List<ACL> acl) {
    List<String> parts = new ArrayList<>();
    for (ACL entry : acl) {
      Id id = entry.getId();
      String who = switch (id.getScheme()) {
        case "digest" -> "digest '" + id.getId().substring(0, Math.max(0, id.getId().indexOf(':'))) + "'";
        case "auth" -> "its creator";
        default -> id.getScheme() + ":" + id.getId();
      };
      parts.add(who + ": " + perms(entry.getPerms()));
    }
    return parts.toString();
  }

  private static String perms(int perms) {
    StringBuilder s = new StringBuilder();
    if ((perms & ZooDefs.Perms.CREATE) != 0) {
      s.append('c');
    }
    if ((perms & ZooDefs.Perms.DELETE) != 0) {
      s.append('d');
    }
    if ((perms & ZooDefs.Perms.READ) != 0) {
      s.append('r');
    }
    if ((perms & ZooDefs.Perms.WRITE) != 0) {
      s.append('w');
    }
    if ((perms & ZooDefs.Perms.ADMIN) != 0) {
      s.append('a');
    }
    return s.length() == 0 ? "none" : s.toString();
  }
}
