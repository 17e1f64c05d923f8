package io.courier.testing.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.serialization.trap.Bait;
import io.courier.testing.serialization.trap.Trap;
import io.courier.testing.serialization.trap.TrapFlags;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link AbstractSerializerContractTest} for formats that write the class of a value on the wire when the declared
 * type does not fix it (kryo, hessian): such a format brings back values declared as {@code Object} as they were,
 * and must refuse a class name outside the allowlist before loading the class. The refusal is shown with
 * {@link Bait} and {@link Trap}, two classes of one shape whose names have as many letters, so that Bait's bytes,
 * renamed, are Trap's.
 */
public abstract class AbstractClassNamingSerializerContractTest extends AbstractSerializerContractTest {

  /**
   * Values only a format that writes the classes of values brings back as they were: a zone by region, a raw
   * {@code ArrayList} of longs, objects declared as {@code Object}, a value in an {@code Object} field.
   */
  @Override
  protected Stream<Object[]> formatValues() {
    return Stream.of(
        new Object[] {ZonedDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneId.of("Europe/Paris")), ZonedDateTime.class},
        new Object[] {new ArrayList<>(List.of(1L, 2L)), ArrayList.class},
        new Object[] {User.sample(5), Object.class},
        new Object[] {List.of(User.sample(6)), Object.class},
        new Object[] {new Holder(LocalDate.of(2000, 1, 1)), Holder.class});
  }

  // JUnit runs this class's tests in the order of their names' hash codes: this one before the next, which
  // constructs a Trap at its end.
  @Test
  void rejectsClassesThatAreNotThere() {
    assertRejected(new byte[0], User.class);
    byte[] value = bytesOf(new Holder(new Bait("x")), Holder.class);
    byte[] renamed = rename(value, "trap.Bait", "trap.Bxxx");
    Serializer permissive = provider()
        .create(TypeAllowlist.withDefaults().allowPackage("io.courier.testing.serialization"));
    assertThatThrownBy(() -> permissive.read(Unpooled.wrappedBuffer(renamed), Holder.class))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("trap.Bxxx");
    assertThat(TrapFlags.constructed).isFalse();
  }

  @Test
  void refusesClassesOutsideTheAllowlistWithoutInstantiatingThem() {
    byte[] baitBytes = bytesOf(new Holder(new Bait("payload")), Holder.class);
    byte[] trapBytes = rename(baitBytes, "trap.Bait", "trap.Trap");

    assertThatThrownBy(() -> serializer.read(Unpooled.wrappedBuffer(trapBytes), Holder.class))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("class io.courier.testing.serialization.trap.Trap is not allowed")
        .hasMessageContaining("TypeAllowlist.allowClass");
    // declared as the class itself: no name on the wire, the declared type is checked
    byte[] declared = bytesOf(new Bait("direct"), Bait.class);
    assertThatThrownBy(() -> serializer.read(Unpooled.wrappedBuffer(declared), Trap.class))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("io.courier.testing.serialization.trap.Trap is not allowed");
    assertThat(TrapFlags.initialized).isFalse();
    assertThat(TrapFlags.constructed).isFalse();

    allowlist.allowPackage("io.courier.testing.serialization.trap"); // the allowlist is live
    Holder holder = (Holder) serializer.read(Unpooled.wrappedBuffer(trapBytes), Holder.class);
    assertThat(holder.getPayload()).isInstanceOf(Trap.class);
    assertThat(((Trap) holder.getPayload()).getText()).isEqualTo("payload");
  }

  /** {@code bytes} with the class name part {@code from} replaced by {@code to}, a part of the same length. */
  protected static byte[] rename(byte[] bytes, String from, String to) {
    // class names travel as a length (or an end mark) and their UTF-8 bytes, so a name of the same length
    // replaces in place
    assertThat(to).hasSameSizeAs(from);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    assertThat(text).contains(from);
    return text.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
  }
}
