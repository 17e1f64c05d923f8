package io.courier.serialization.kryo;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.SerializerFuzzing;
import io.courier.testing.serialization.Page;
import io.courier.testing.serialization.TypeRef;
import io.courier.testing.serialization.User;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the kryo read path. The normal build replays the inputs under
 * {@code src/test/resources/.../KryoSerializerFuzzTestInputs} and fuzzes briefly; {@code -Pfuzz-long} fuzzes
 * for minutes.
 *
 * <p>Input that exceeds the {@link io.courier.serialization.ReadBudget} is refused with a
 * {@code SerializationException}, the documented rejection, like any other malformed input. The kept inputs
 * {@code budget-*} are such input: a {@code HashSet} of lists of one hash code, and lists of nulls that claim more
 * elements than the budget allows.
 */
class KryoSerializerFuzzTest {

  static final Type[] TARGETS = {
      User.class,
      new TypeRef<Page<User>>() {}.type(),
      new TypeRef<List<Integer>>() {}.type(),
      new TypeRef<Map<String, Long>>() {}.type(),
      String.class,
      long.class};

  private static final Serializer SERIALIZER = new KryoSerializerProvider().create(
      TypeAllowlist.withDefaults().allowType(User.class).allowType(TARGETS[1]));

  @FuzzTest(maxDuration = "5s")
  void readNeverFailsUnexpectedly(byte[] input) {
    SerializerFuzzing.readArbitraryBytes(SERIALIZER, input, TARGETS);
  }
}
