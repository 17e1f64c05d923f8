package io.courier.registry.zookeeper;

import io.courier.registry.Registry;
import io.courier.registry.ServiceInstance;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A registry listener that keeps every list it was given. */
final class Recorder implements Registry.Listener {

  final List<List<ServiceInstance>> lists = new CopyOnWriteArrayList<>();

  @Override
  public void onProviders(List<ServiceInstance> providers) {
    lists.add(providers);
  }

  /** The last list, or an empty one if none came yet. */
  List<ServiceInstance> last() {
    return lists.isEmpty() ? List.of() : lists.get(lists.size() - 1);
  }

  List<String> lastIds() {
    return last().stream().map(ServiceInstance::id).sorted().toList();
  }
}
