package io.courier.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.InMemoryRegistry;
import org.junit.jupiter.api.Test;

class RegistriesTest {

  @Test
  void anUnknownSchemeNamesTheAvailableOnesAndTheModuleToAdd() {
    assertThatThrownBy(() -> Registries.connect("etcd://10.0.0.2:2379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown registry scheme 'etcd' in 'etcd://10.0.0.2:2379' (available: memory; add"
            + " io.courier:courier-registry to the class path for zookeeper://, static:// and embedded, or the module"
            + " that provides 'etcd')");
  }

  @Test
  void theSchemeChoosesTheFactory() {
    try (Registry registry = Registries.connect("memory://registries-test")) {
      assertThat(registry).isInstanceOf(InMemoryRegistry.class);
      assertThat(registry.describe()).isEqualTo("memory://registries-test");
    }
  }
}
