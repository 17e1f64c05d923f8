package io.courier;

import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerProvider;
import io.courier.serialization.TypeAllowlist;
import io.netty.buffer.ByteBuf;
import java.lang.reflect.Type;

/** A serializer for in-process tests, which pass values by reference and never serialize. */
public final class NoOpSerializerProvider implements SerializerProvider {

  @Override
  public String name() {
    return "noop";
  }

  @Override
  public Serializer create(TypeAllowlist allowlist) {
    return new Serializer() {
      @Override
      public byte id() {
        return 99;
      }

      @Override
      public String name() {
        return "noop";
      }

      @Override
      public void write(ByteBuf out, Object value, Type type) {
        throw new UnsupportedOperationException("the noop serializer only serves in-process tests");
      }

      @Override
      public Object read(ByteBuf in, Type type) {
        throw new UnsupportedOperationException("the noop serializer only serves in-process tests");
      }

      @Override
      public String unsupportedReason(Type type) {
        return type == Thread.class ? "noop cannot carry threads; use something else" : null;
      }
    };
  }
}
