package io.courier.registry.zookeeper;

import io.courier.registry.ServiceInstance;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The last provider lists a consumer saw, kept in a local JSON file so that it can start while ZooKeeper is down.
 * Written whole to a temporary file and moved into place, so a reader never sees half a file. Thread-safe.
 */
final class SnapshotFile {

  private static final Logger log = LoggerFactory.getLogger(SnapshotFile.class);

  private final Path path;
  private final String registry;

  SnapshotFile(Path path, String registry) {
    this.path = path.toAbsolutePath();
    this.registry = registry;
  }

  Path path() {
    return path;
  }

  /** The saved lists by service, or {@code null} if there is no file (or it cannot be read, which is logged). */
  synchronized Map<String, List<ServiceInstance>> read() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      log.warn("cannot read the provider snapshot {}: {}", path, e.toString());
      return null;
    }
    try {
      JsonNode tree = InstanceJson.MAPPER.readTree(bytes);
      JsonNode format = tree.path("format");
      if (!format.isInt() || format.intValue() != InstanceJson.FORMAT) {
        log.warn("ignoring the provider snapshot {}: its format is {}, this Courier reads format {}", path,
            format.isMissingNode() ? "not given" : format, InstanceJson.FORMAT);
        return null;
      }
      JsonNode savedFor = tree.path("registry");
      String saved = savedFor.isString() ? savedFor.stringValue() : "";
      if (!root(saved).equals(root(registry))) {
        // another tree's providers (a copied configuration, a changed root): they may be no providers of ours
        log.warn("ignoring the provider snapshot {}: it was saved for {}, another root than this registry's ({})",
            path, saved.isEmpty() ? "no registry" : saved, registry);
        return null;
      }
      if (!saved.equals(registry)) {
        log.info("the provider snapshot {} was saved for {}: the same root as this registry's ({}), so it is used",
            path, saved, registry);
      }
      Map<String, List<ServiceInstance>> services = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> service : tree.path("services").properties()) {
        List<ServiceInstance> instances = new ArrayList<>();
        for (JsonNode instance : service.getValue().values()) {
          instances.add(InstanceJson.fromTree(instance));
        }
        services.put(service.getKey(), List.copyOf(instances));
      }
      return services;
    } catch (JacksonException | IllegalArgumentException e) {
      log.warn("ignoring the provider snapshot {}: it is not a snapshot Courier wrote ({})", path, e.getMessage());
      return null;
    }
  }

  /** The root path of a registry's description, {@code zookeeper://host:port,host:port/root}. */
  private static String root(String description) {
    int hosts = description.indexOf("://");
    int slash = hosts < 0 ? -1 : description.indexOf('/', hosts + 3);
    return slash < 0 ? "" : description.substring(slash);
  }

  /** Replaces the file with {@code services}; failures are logged, never thrown. */
  synchronized void write(Map<String, List<ServiceInstance>> services) {
    ObjectNode root = InstanceJson.MAPPER.createObjectNode();
    root.put("format", InstanceJson.FORMAT);
    root.put("registry", registry);
    root.put("savedAt", Instant.now().toString());
    ObjectNode byService = root.putObject("services");
    services.forEach((service, instances) -> {
      ArrayNode list = byService.putArray(service);
      instances.forEach(i -> list.add(InstanceJson.toTree(i)));
    });
    try {
      Path parent = path.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path temp = Files.createTempFile(parent != null ? parent : Path.of("."), path.getFileName().toString(), ".tmp");
      try {
        Files.write(temp, InstanceJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        try {
          Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException | RuntimeException e) {
      log.warn("cannot write the provider snapshot {}: {}", path, e.toString());
    }
  }
}
