package io.courier.serialization.hessian;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.SerializerFuzzing;
import io.courier.testing.serialization.TypeRef;
import io.courier.testing.serialization.User;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the hessian read path for values declared loosely enough to hold any graph of lists,
 * sets and maps, where hostile shapes (shared references, colliding hash codes) can land whole; the typed targets
 * of {@link HessianSerializerFuzzTest} refuse most of them by type first.
 *
 * <p>Input that exceeds the {@link io.courier.serialization.ReadBudget} is refused with a
 * {@code SerializationException}, the documented rejection. The kept inputs {@code budget-*} are such input: the
 * set of a chain of lists that each hold their child twice (finding 5), and a set and a map of lists of one hash
 * code.
 */
class HessianUntypedFuzzTest {

  static final Type[] TARGETS = {
      Object.class,
      new TypeRef<Map<String, Object>>() {}.type(),
      new TypeRef<Set<Object>>() {}.type(),
      new TypeRef<List<Object>>() {}.type()};

  private static final Serializer SERIALIZER = new HessianSerializerProvider().create(
      TypeAllowlist.withDefaults().allowType(User.class));

  @FuzzTest(maxDuration = "5s")
  void readNeverFailsUnexpectedly(byte[] input) {
    SerializerFuzzing.readArbitraryBytes(SERIALIZER, input, TARGETS);
  }
}
