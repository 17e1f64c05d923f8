package io.courier.transport.inprocess;

import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerProvider;
import io.courier.serialization.TypeAllowlist;
import io.netty.buffer.ByteBuf;
import java.lang.reflect.Type;

/**
 * The serializer in-process calls name here, where no real one is on the class path: their values pass by reference,
 * so it is never used, and writing or reading with it fails.
 */
public final class ByReferenceSerializerProvider implements SerializerProvider {

  public static final String NAME = "by-reference";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Serializer create(TypeAllowlist allowlist) {
    return new Serializer() {
      @Override
      public byte id() {
        return 98;
      }

      @Override
      public String name() {
        return NAME;
      }

      @Override
      public void write(ByteBuf out, Object value, Type type) {
        throw new UnsupportedOperationException("in-process calls pass values by reference");
      }

      @Override
      public Object read(ByteBuf in, Type type) {
        throw new UnsupportedOperationException("in-process calls pass values by reference");
      }
    };
  }
}
