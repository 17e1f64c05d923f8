package io.courier.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetadataTest {

  private static final Metadata.Key<String> TENANT = Metadata.Key.of("x-tenant");
  private static final Metadata.Key<byte[]> BLOB = Metadata.Key.binary("x-blob-bin");

  @Test
  void isImmutableAndKeepsEveryValueInOrder() {
    Metadata a = Metadata.EMPTY.with(TENANT, "acme");
    Metadata b = a.with(TENANT, "globex").with(BLOB, new byte[] {1, 2});
    assertThat(a.getAll(TENANT)).containsExactly("acme");
    assertThat(b.getAll(TENANT)).containsExactly("acme", "globex");
    assertThat(b.get(TENANT)).isEqualTo("globex");
    assertThat(b.get(BLOB)).containsExactly(1, 2);
    assertThat(b.withOnly(TENANT, "x").getAll(TENANT)).containsExactly("x");
    assertThat(b.without(TENANT).containsKey(TENANT)).isFalse();
    assertThat(b.keys()).containsExactly("x-tenant", "x-blob-bin");
    assertThat(a.withAll(b).size()).isEqualTo(4);
  }

  @Test
  void enforcesGrpcKeyAndValueRules() {
    assertThatThrownBy(() -> Metadata.Key.of("X-Upper")).hasMessageContaining("lower-case");
    assertThatThrownBy(() -> Metadata.Key.of("a-bin")).hasMessageContaining("not ending in -bin");
    assertThatThrownBy(() -> Metadata.Key.binary("plain")).hasMessageContaining("ending in -bin");
    assertThatThrownBy(() -> Metadata.EMPTY.with(TENANT, "naïve")).hasMessageContaining("printable ASCII");
  }

  @Test
  void builderValidatesWireInput() {
    Metadata m = Metadata.builder().addRaw("k", "v".getBytes(StandardCharsets.US_ASCII))
        .addRaw("k-bin", new byte[] {0, (byte) 0xff}).build();
    assertThat(m.value(0)).isEqualTo("v");
    assertThat(m.valueBytes(1)).containsExactly(0, 0xff);
    assertThatThrownBy(() -> Metadata.builder().addRaw("K", new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Metadata.builder().addRaw("k", new byte[] {10}))
        .hasMessageContaining("non-printable");
  }
}
