package io.courier.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeAllowlistTest {

  enum Color {
    RED,
    GREEN {
      @Override
      public String toString() {
        return "g";
      }
    }
  }

  record Address(String street, Color color) {}

  static class Base {
    Map<String, Address> addresses;
  }

  static class Customer extends Base {
    List<Order> orders;
    transient Object secret;
    static Thread notAField;
  }

  static class Order {
    LocalDate day;
    Order[] children;
  }

  static class Unrelated {}

  @Test
  void defaultsCoverJdkValueTypesOnly() {
    TypeAllowlist allowlist = TypeAllowlist.withDefaults();
    assertThat(allowlist.isAllowed("java.util.ArrayList")).isTrue();
    assertThat(allowlist.isAllowed("java.time.LocalDate")).isTrue();
    assertThat(allowlist.isAllowed("java.util.ImmutableCollections$ListN")).isTrue();
    assertThat(allowlist.isAllowed("[Ljava.lang.String;")).isTrue();
    assertThat(allowlist.isAllowed("[I")).isTrue();
    assertThat(allowlist.isAllowed("javax.management.BadAttributeValueExpException")).isFalse();
    assertThat(allowlist.isAllowed("org.apache.commons.collections.functors.InvokerTransformer")).isFalse();
    assertThat(allowlist.isAllowed("java.lang.Runtime")).isFalse();
    assertThat(allowlist.isAllowed((String) null)).isFalse();
  }

  @Test
  void walksSignaturesFieldsRecordsAndSuperclasses() {
    TypeAllowlist allowlist = TypeAllowlist.withDefaults().allowType(Customer.class);
    assertThat(allowlist.isAllowed(Customer.class)).isTrue();
    assertThat(allowlist.isAllowed(Base.class)).isTrue();
    assertThat(allowlist.isAllowed(Address.class)).isTrue();
    assertThat(allowlist.isAllowed(Order.class)).isTrue();
    assertThat(allowlist.isAllowed(Order[].class)).isTrue();
    assertThat(allowlist.isAllowed(Color.class)).isTrue();
    assertThat(allowlist.isAllowed(Color.GREEN.getClass())).isTrue();
    assertThat(allowlist.isAllowed(Thread.class)).isFalse();
    assertThat(allowlist.isAllowed(Unrelated.class)).isFalse();
  }

  @Test
  void explicitEntries() {
    TypeAllowlist allowlist = TypeAllowlist.empty().allowPackage("com.acme.model").allowClass(Unrelated.class);
    assertThat(allowlist.isAllowed("com.acme.model.sub.Thing")).isTrue();
    assertThat(allowlist.isAllowed("com.acme.modelx.Thing")).isFalse();
    assertThat(allowlist.isAllowed(Unrelated.class)).isTrue();
    assertThatThrownBy(() -> allowlist.allowPackage("java.util")).hasMessageContaining("not a JDK package");
  }
}
