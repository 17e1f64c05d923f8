package io.courier.serialization.hessian;

import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.com.caucho.hessian.io.Hessian2Input;
import com.alibaba.com.caucho.hessian.io.SerializerFactory;
import io.courier.serialization.SerializerProvider;
import io.courier.testing.serialization.AbstractClassNamingSerializerContractTest;
import io.courier.testing.serialization.Nesting;
import io.courier.testing.serialization.User;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The serializer contract (round trips, malformed input, allowlist) for hessian, and what only hessian does. */
class HessianSerializerTest extends AbstractClassNamingSerializerContractTest {

  @Override
  protected SerializerProvider provider() {
    return new HessianSerializerProvider();
  }

  @Override
  protected String expectedName() {
    return "hessian";
  }

  @Override
  protected int expectedId() {
    return 3;
  }

  /** From depth 2 on, inner lists refer to the first one's type, so each level adds the same bytes. */
  @Override
  protected byte[] nestedLists(int levels) {
    return Nesting.repeat(bytesOf(nested(2), Object.class), bytesOf(nested(3), Object.class),
        bytesOf(nested(4), Object.class), levels);
  }

  @Override
  protected int maxDepth() {
    return HessianScanner.MAX_DEPTH;
  }

  /** The depth limit is the reader's ({@link HessianScanner}); hessian's writer writes any depth. */
  @Override
  protected boolean refusesToWriteDeeperThanItReads() {
    return false;
  }

  // ---------------------------------------------------------------- round trips

  @Test
  void writesPlainHessianThatAStockReaderUnderstands() throws Exception {
    byte[] bytes = bytesOf(User.sample(8), User.class);
    Hessian2Input stock = new Hessian2Input(new ByteArrayInputStream(bytes));
    SerializerFactory factory = new SerializerFactory();
    factory.setAllowNonSerializable(true);
    stock.setSerializerFactory(factory);
    assertThat(stock.readObject(User.class)).isEqualTo(User.sample(8));
  }

  // ---------------------------------------------------------------- unsupported types

  @Test
  void explainsThatOptionalNeedsAnotherFormat() {
    assertThat(serializer.unsupportedReason(Optional.class)).contains("hessian").contains("kryo or json");
  }

  // ---------------------------------------------------------------- malformed input

  @Test
  void rejectsLengthsLongerThanTheInputBeforeAllocating() {
    byte[] maxInt = {'I', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    // a typed fixed-length list ("[int") claiming 2^31 - 1 elements
    assertRejected(concat(new byte[] {'V', 4, '[', 'i', 'n', 't'}, maxInt), int[].class);
    assertRejected(concat(new byte[] {'V', 4, '[', 'i', 'n', 't'}, maxInt), Object.class);
    // an untyped fixed-length list claiming 2^31 - 1 elements
    assertRejected(concat(new byte[] {'X'}, maxInt), List.class);
    // a class definition claiming 2^31 - 1 fields
    assertRejected(concat(new byte[] {'C', 3, 'F', 'o', 'o'}, maxInt), Object.class);
    // a negative length
    assertRejected(new byte[] {'X', (byte) 0x8f}, List.class);
    // a string and a byte array claiming 65535 units with three bytes present
    assertRejected(new byte[] {'S', (byte) 0xff, (byte) 0xff, 'a', 'b', 'c'}, String.class);
    assertRejected(new byte[] {'B', (byte) 0xff, (byte) 0xff, 1, 2, 3}, byte[].class);
    // an object of a class definition that does not exist, a type reference to nothing
    assertRejected(new byte[] {0x60}, Object.class);
    assertRejected(new byte[] {'V', (byte) 0x91, (byte) 0x90}, Object.class);
  }

  @Test
  void readsNestingUpToTheLimitAndNoDeeper() {
    assertRejected(nestedLists(HessianScanner.MAX_DEPTH), Object.class);
    assertThat(roundTrip(nested(HessianScanner.MAX_DEPTH), Object.class, Unpooled.buffer()))
        .isEqualTo(nested(HessianScanner.MAX_DEPTH));
  }

  @Test
  void rejectsUnknownTagsAndValuesOfAnotherType() {
    assertRejected(new byte[] {'Z'}, User.class);
    assertRejected(new byte[] {'@'}, Object.class);
    // the value does not have the declared type
    assertRejected(bytesOf("text", String.class), User.class);
  }

  // ---------------------------------------------------------------- helpers

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] out = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, out, first.length, second.length);
    return out;
  }
}
