package io.courier.serialization.protobuf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.courier.serialization.protobuf.testing.Node;
import io.courier.serialization.protobuf.testing.PageMessage;
import io.courier.serialization.protobuf.testing.UserMessage;
import io.courier.testing.SerializerFuzzing;
import java.lang.reflect.Type;

/**
 * Coverage-guided fuzzing of the protobuf read path (messages, the null marker, scalar wrappers, the
 * multi-argument envelope, and a recursive message against the depth limit).
 */
class ProtobufSerializerFuzzTest {

  static final Type[] TARGETS = {UserMessage.class, PageMessage.class, Node.class, String.class, long.class};

  private static final Serializer SERIALIZER = new ProtobufSerializerProvider().create(TypeAllowlist.withDefaults());

  @FuzzTest(maxDuration = "5s")
  void readNeverFailsUnexpectedly(byte[] input) {
    SerializerFuzzing.readArbitraryBytes(SERIALIZER, input, TARGETS);
  }
}
