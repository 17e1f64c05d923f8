package io.courier.serialization.json;

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
 * Coverage-guided fuzzing of the json read path. The normal build replays the inputs under
 * {@code src/test/resources/.../JsonSerializerFuzzTestInputs} and fuzzes briefly; {@code -Pfuzz-long} fuzzes
 * for minutes.
 */
class JsonSerializerFuzzTest {

  static final Type[] TARGETS = {
      User.class,
      new TypeRef<Page<User>>() {}.type(),
      new TypeRef<List<Integer>>() {}.type(),
      new TypeRef<Map<String, Long>>() {}.type(),
      String.class,
      long.class};

  private static final Serializer SERIALIZER = new JsonSerializerProvider().create(
      TypeAllowlist.withDefaults().allowType(User.class).allowType(TARGETS[1]));

  @FuzzTest(maxDuration = "5s")
  void readNeverFailsUnexpectedly(byte[] input) {
    SerializerFuzzing.readArbitraryBytes(SERIALIZER, input, TARGETS);
  }
}
