package io.courier.serialization.kryo;

import com.esotericsoftware.kryo.io.Output;
import io.courier.serialization.ReadBudget;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.courier.serialization.UnsupportedTypes;
import io.netty.buffer.ByteBuf;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.ByteBuffer;

/**
 * The Kryo format (wire id 1, name {@code "kryo"}): compact and fast, for Java on both ends.
 *
 * <p>Each value starts with a one-byte marker:
 *
 * <pre>
 * +--------+-----------------------------------------------------------------+
 * | 0x00   | null; nothing follows                                           |
 * | 0x01   | the value's class is exactly the declared class: Kryo object     |
 * |        | bytes follow, no class name                                     |
 * | 0x02   | any other class: a Kryo class reference (a fixed registration    |
 * |        | id for common JDK types, else the class name) and the object     |
 * +--------+-----------------------------------------------------------------+
 * </pre>
 *
 * Common JDK classes (collections, {@code java.time}, boxed numbers, arrays) have fixed registration ids that
 * both ends share; any other class is written by name the first time it appears in an object graph.
 * Strings are a varint of their UTF-8 length plus one ({@code 0} is null), then the UTF-8 bytes
 * ({@link CourierOutput}), not Kryo's own string encoding. References are not tracked, so a cyclic object graph
 * cannot be written (it fails at the depth limit of
 * {@value #MAX_DEPTH} nested objects).
 *
 * <p>Reading instantiates only classes the {@link TypeAllowlist} accepts: a class name from the wire is
 * checked before it is loaded, and every declared or field type is checked before an instance is made.
 * Lengths in the input are checked against the bytes that remain before anything is allocated.
 *
 * <p>Reading keeps to a {@link ReadBudget} of the readable bytes: every object read, and every element count of a
 * collection, map or array before it is allocated, is charged to it (a list of nulls costs a few bytes whatever
 * its length, so counts alone, checked against the bytes that remain, would let a list of such lists claim
 * millions of elements); and the elements of a hashed set or map are read first and their hash codes checked
 * before the set or map is filled, so that elements of one hash code cannot make filling it quadratic.
 * {@code Set.of} and {@code Map.of} values come back as unmodifiable linked sets and maps, never through
 * {@code Set.copyOf}, whose linear probing hostile hash codes could make quadratic too. There are no shared
 * references to count: kryo here writes none.
 *
 * <pre>{@code
 * Serializer kryo = new KryoSerializerProvider().create(TypeAllowlist.withDefaults().allowType(User.class));
 * kryo.write(buf, user, User.class);
 * User copy = (User) kryo.read(buf, User.class);
 * }</pre>
 *
 * <p>Thread-safe: Kryo instances, with their input and output buffers, are pooled.
 */
public final class KryoSerializer implements Serializer {

  /** The deepest object nesting read or written before the value is refused. */
  public static final int MAX_DEPTH = 256;

  static final byte NULL = 0;
  static final byte DECLARED_CLASS = 1;
  static final byte CLASS_AND_OBJECT = 2;

  private static final int POOL_SIZE = 64;
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final TypeAllowlist allowlist;
  private final ClassLoader classLoader;
  private final ContextPool<KryoContext> pool;

  KryoSerializer(TypeAllowlist allowlist, ClassLoader classLoader) {
    this.allowlist = allowlist;
    this.classLoader = classLoader;
    this.pool = new ContextPool<>(POOL_SIZE, () -> new KryoContext(new CourierKryo(allowlist, classLoader)));
  }

  @Override
  public byte id() {
    return 1;
  }

  @Override
  public String name() {
    return "kryo";
  }

  @Override
  public void write(ByteBuf out, Object value, Type type) {
    int start = out.writerIndex();
    KryoContext context = pool.obtain();
    boolean reusable = false;
    try {
      context.sink.target = out;
      Output output = context.output;
      output.setOutputStream(context.sink);
      if (value == null) {
        output.writeByte(NULL);
      } else if (isDeclaredClass(value.getClass(), rawClass(type))) {
        output.writeByte(DECLARED_CLASS);
        context.kryo.writeObject(output, value);
      } else {
        output.writeByte(CLASS_AND_OBJECT);
        context.kryo.writeClassAndObject(output, value);
      }
      output.flush();
      reusable = true;
    } catch (RuntimeException e) {
      out.writerIndex(start);
      reusable = context.recover();
      throw failure("kryo cannot write " + describe(value) + " declared as " + type.getTypeName(), e);
    } catch (StackOverflowError e) {
      out.writerIndex(start);
      throw failure("kryo cannot write " + describe(value) + " declared as " + type.getTypeName(), e);
    } finally {
      context.sink.target = null;
      context.output.setOutputStream(null);
      if (reusable) {
        pool.free(context);
      }
    }
  }

  @Override
  public Object read(ByteBuf in, Type type) {
    int start = in.readerIndex();
    KryoContext context = pool.obtain();
    boolean reusable = false;
    try {
      ByteBuffer nio = context.view(in, start, in.readableBytes());
      int base = nio.position();
      BoundedInput input = context.input;
      input.setBuffer(nio);
      context.kryo.budget().reset(in.readableBytes());
      Class<?> declared = rawClass(type);
      Object value;
      byte marker = input.readByte();
      switch (marker) {
        case NULL:
          value = null;
          break;
        case DECLARED_CLASS:
          if (!declared.isPrimitive() && !declared.isArray()
              && (declared.isInterface() || java.lang.reflect.Modifier.isAbstract(declared.getModifiers()))) {
            throw new SerializationException("kryo value claims to be exactly " + declared.getName()
                + ", which is abstract; the writer marks such values with their class");
          }
          value = context.kryo.readObject(input, declared);
          break;
        case CLASS_AND_OBJECT:
          value = context.kryo.readClassAndObject(input);
          if (value != null && !wrap(declared).isInstance(value)) {
            throw new SerializationException("kryo read a " + value.getClass().getName() + " where "
                + type.getTypeName() + " was declared");
          }
          break;
        default:
          throw new SerializationException("kryo value starts with marker " + marker + " (expected: 0, 1 or 2)");
      }
      in.readerIndex(start + input.position() - base);
      reusable = true;
      return value;
    } catch (RuntimeException e) {
      in.readerIndex(start);
      reusable = context.recover();
      throw failure("kryo cannot read " + type.getTypeName(), e);
    } catch (StackOverflowError | LinkageError e) {
      // LinkageError: hostile bytes can ask Kryo to instantiate an abstract type (InstantiationError).
      in.readerIndex(start);
      reusable = context.recover();
      throw failure("kryo cannot read " + type.getTypeName(), e);
    } finally {
      context.input.setBuffer(EMPTY);
      if (reusable) {
        pool.free(context);
      }
    }
  }

  @Override
  public String unsupportedReason(Type type) {
    return UnsupportedTypes.liveResourceReason("kryo", type);
  }

  @Override
  public String toString() {
    return "KryoSerializer{" + allowlist + "}";
  }

  /**
   * Turns whatever Kryo threw into a {@link SerializationException}; a refusal from the allowlist keeps its own
   * message so that the class name reaches the caller.
   */
  private static SerializationException failure(String what, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SerializationException refused) {
        return t == e ? refused : new SerializationException(refused.getMessage(), e);
      }
    }
    if (e instanceof StackOverflowError) {
      return new SerializationException(what + ": nesting too deep", e);
    }
    return new SerializationException(what + ": " + e.getMessage(), e);
  }

  private static String describe(Object value) {
    return value == null ? "null" : "a " + value.getClass().getName();
  }

  private static boolean isDeclaredClass(Class<?> actual, Class<?> declared) {
    return actual == declared || declared.isPrimitive() && actual == wrap(declared);
  }

  static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return rawClass(p.getRawType());
    }
    if (type instanceof GenericArrayType a) {
      return rawClass(a.getGenericComponentType()).arrayType();
    }
    if (type instanceof TypeVariable<?> v) {
      Type[] bounds = v.getBounds();
      return bounds.length == 0 ? Object.class : rawClass(bounds[0]);
    }
    if (type instanceof WildcardType w) {
      Type[] upper = w.getUpperBounds();
      return upper.length == 0 ? Object.class : rawClass(upper[0]);
    }
    throw new SerializationException("kryo cannot resolve the declared type " + type);
  }

  static Class<?> wrap(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    if (type == int.class) {
      return Integer.class;
    } else if (type == long.class) {
      return Long.class;
    } else if (type == boolean.class) {
      return Boolean.class;
    } else if (type == double.class) {
      return Double.class;
    } else if (type == float.class) {
      return Float.class;
    } else if (type == byte.class) {
      return Byte.class;
    } else if (type == short.class) {
      return Short.class;
    } else if (type == char.class) {
      return Character.class;
    }
    return Void.class;
  }

  /** One pooled Kryo with its reusable input and output; used by one thread at a time. */
  static final class KryoContext {
    private static final int MAX_COPIED = 64 * 1024;
    final CourierKryo kryo;
    final Output output = new CourierOutput(4096);
    final BoundedInput input = new BoundedInput();
    final ByteBufSink sink = new ByteBufSink();
    private byte[] scratch = new byte[256];
    private ByteBuffer scratchView = ByteBuffer.wrap(scratch);

    KryoContext(CourierKryo kryo) {
      this.kryo = kryo;
    }

    /**
     * The bytes to read as a {@code ByteBuffer}. Values up to {@value #MAX_COPIED} bytes are copied
     * into this context's own array, which costs one small copy and no allocation ({@code nioBuffer} makes two
     * {@code ByteBuffer} objects per read of a pooled direct buffer); larger ones are read in place.
     */
    ByteBuffer view(ByteBuf in, int start, int length) {
      if (length > MAX_COPIED) {
        return in.nioBuffer(start, length);
      }
      if (scratch.length < length) {
        scratch = new byte[Integer.highestOneBit(length - 1) << 1];
        scratchView = ByteBuffer.wrap(scratch);
      }
      in.getBytes(start, scratch, 0, length);
      scratchView.clear().limit(length);
      return scratchView;
    }

    /**
     * Clears what a failed read or write leaves behind (graph state, and the generics stack, which Kryo's
     * field serializer does not unwind on an exception), so that malformed input does not cost a new Kryo.
     */
    boolean recover() {
      try {
        kryo.reset();
        kryo.setOptimizedGenerics(true);
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }
  }
}
