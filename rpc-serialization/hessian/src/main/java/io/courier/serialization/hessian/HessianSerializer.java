package io.courier.serialization.hessian;

import com.alibaba.com.caucho.hessian.io.Hessian2Output;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.courier.serialization.UnsupportedTypes;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The Hessian 2 format (wire id 3, name {@code "hessian"}), through the hessian-lite fork maintained by the
 * Apache Dubbo project ({@code org.apache.dubbo:hessian-lite} 4): self-describing, so a value is plain Hessian 2
 * ({@code Hessian2Output.writeObject}) with no framing of ours. It reads what Courier on hessian-lite 3.2.13
 * ({@code com.alibaba}) wrote, and writes what that reads, so that peers can be upgraded one at a time.
 *
 * <p>Reading happens in two steps. {@link HessianScanner} first walks the value's bytes, rejecting truncated
 * input, lengths longer than the bytes that remain and nesting deeper than {@value HessianScanner#MAX_DEPTH},
 * and finds where the value ends (hessian's reader buffers ahead, so it cannot tell). Then hessian decodes
 * exactly those bytes with an {@link AllowlistSerializerFactory}, which refuses, before loading or
 * instantiating, every class the {@link TypeAllowlist} does not accept.
 *
 * <p>Reading keeps to a {@link io.courier.serialization.ReadBudget} of the value's bytes
 * ({@link BudgetedHessianInput}): every value read is charged, and every back-reference as the whole tree it stands
 * for, so that a chain of lists that each hold their child twice (a few bytes per level, a tree that doubles) is
 * refused before anything, such as a {@code HashSet}'s {@code hashCode}, walks the tree. Hashed sets and maps are
 * filled only once their elements are read and their hash codes checked ({@link CheckedCollectionDeserializer},
 * {@link CheckedMapDeserializer}). And since hessian's reader builds collections, maps and {@code Object} fields
 * from whatever the bytes say, the value read is then checked against its declared type all the way down
 * ({@link DeclaredTypes}): a {@code List<Integer>} parameter gets integers or a refusal, never a list of lists.
 *
 * <p>Records and {@code java.time} values round-trip ({@code java.time} values as hessian-lite's handle objects,
 * written without reflection); immutable JDK collections come back as their mutable counterparts ({@code List.of}
 * as an {@code ArrayList}); {@code Optional}, {@code Currency} and {@code EnumSet} are not carried.
 *
 * <pre>{@code
 * Serializer hessian = new HessianSerializerProvider().create(TypeAllowlist.withDefaults().allowType(User.class));
 * hessian.write(buf, user, User.class);
 * User copy = (User) hessian.read(buf, User.class);
 * }</pre>
 *
 * <p>Thread-safe: the factory is shared, hessian's stream objects are pooled.
 */
public final class HessianSerializer implements Serializer {

  private static final int POOL_SIZE = 64;

  private final TypeAllowlist allowlist;
  private final AllowlistSerializerFactory factory;
  private final DeclaredTypes declaredTypes = new DeclaredTypes();
  private final ArrayBlockingQueue<Writer> writers = new ArrayBlockingQueue<>(POOL_SIZE);
  private final ArrayBlockingQueue<Reader> readers = new ArrayBlockingQueue<>(POOL_SIZE);

  HessianSerializer(TypeAllowlist allowlist, ClassLoader classLoader) {
    this.allowlist = allowlist;
    this.factory = new AllowlistSerializerFactory(allowlist, classLoader);
  }

  @Override
  public byte id() {
    return 3;
  }

  @Override
  public String name() {
    return "hessian";
  }

  @Override
  public void write(ByteBuf out, Object value, Type type) {
    int start = out.writerIndex();
    Writer writer = writers.poll();
    if (writer == null) {
      writer = new Writer(factory);
    }
    boolean reusable = false;
    try {
      writer.sink.target = out;
      writer.output.init(writer.sink);
      writer.output.writeObject(value);
      writer.output.flush();
      reusable = true;
    } catch (IOException | RuntimeException e) {
      out.writerIndex(start);
      reusable = true; // init() resets all of a Hessian2Output's state
      throw failure("hessian cannot write " + describe(value) + " declared as " + type.getTypeName(), e);
    } catch (StackOverflowError e) {
      out.writerIndex(start);
      throw new SerializationException("hessian cannot write " + describe(value) + ": nesting too deep", e);
    } finally {
      writer.sink.target = null;
      if (reusable) {
        writers.offer(writer);
      }
    }
  }

  @Override
  public Object read(ByteBuf in, Type type) {
    int start = in.readerIndex();
    int end = HessianScanner.scan(in, start, in.writerIndex());
    Class<?> declared = rawClass(type);
    if (!declared.isPrimitive() && !allowlist.isAllowed(declared)) {
      throw AllowlistSerializerFactory.notAllowed(declared.getName());
    }
    if (declared == byte[].class) {
      Object bytes = HessianBinary.read(in, start, end);
      if (bytes != HessianBinary.NOT_BINARY) {
        in.readerIndex(end);
        return bytes;
      }
    }
    DeclaredTypes.Check check = declaredTypes.of(type);
    Reader reader = readers.poll();
    if (reader == null) {
      reader = new Reader(factory);
    }
    boolean reusable = false;
    try {
      reader.source.set(in, start, end);
      reader.input.init(reader.source);
      reader.input.start(end - start);
      Object value;
      if (declared == Object.class) {
        value = reader.input.readObject();
      } else if (check.expectedTypes() != null) {
        value = reader.input.readObject(declared, check.expectedTypes());
      } else {
        value = reader.input.readObject(declared);
      }
      if (value != null && !wrap(declared).isInstance(value)) {
        throw new SerializationException("hessian read a " + value.getClass().getName() + " where "
            + type.getTypeName() + " was declared");
      }
      check.check(value, reader.input.readBackReferences());
      in.readerIndex(end);
      reusable = true;
      return value;
    } catch (IOException | RuntimeException e) {
      reusable = true; // init() and start() reset all of a Hessian2Input's state
      throw failure("hessian cannot read " + type.getTypeName(), e);
    } catch (StackOverflowError e) {
      throw new SerializationException("hessian cannot read " + type.getTypeName() + ": nesting too deep", e);
    } finally {
      reader.source.clear();
      if (reusable) {
        readers.offer(reader);
      }
    }
  }

  @Override
  public String unsupportedReason(Type type) {
    String liveResource = UnsupportedTypes.liveResourceReason("hessian", type);
    if (liveResource != null) {
      return liveResource;
    }
    Class<?> raw = rawClass(type);
    if (raw == Optional.class || raw == OptionalInt.class || raw == OptionalLong.class
        || raw == OptionalDouble.class || raw == java.util.Currency.class
        || java.util.EnumSet.class.isAssignableFrom(raw)) {
      return "hessian cannot carry " + raw.getName() + "; use kryo or json, or declare the value it holds";
    }
    return null;
  }

  @Override
  public String toString() {
    return "HessianSerializer{" + allowlist + "}";
  }

  /** Unwraps hessian's wrapping so that an allowlist refusal reaches the caller with its class name. */
  private static SerializationException failure(String what, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SerializationException refused) {
        return t == e ? refused : new SerializationException(refused.getMessage(), e);
      }
    }
    return new SerializationException(what + ": " + e, e);
  }

  private static String describe(Object value) {
    return value == null ? "null" : "a " + value.getClass().getName();
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
    throw new SerializationException("hessian cannot resolve the declared type " + type);
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

  /** A pooled Hessian2Output with the stream it writes through; used by one thread at a time. */
  private static final class Writer {
    final ByteBufSink sink = new ByteBufSink();
    final Hessian2Output output = new Hessian2Output(sink);

    Writer(AllowlistSerializerFactory factory) {
      output.setSerializerFactory(factory);
    }
  }

  /** A pooled Hessian2Input with the stream it reads from; used by one thread at a time. */
  private static final class Reader {
    final ByteBufSource source = new ByteBufSource();
    final BudgetedHessianInput input = new BudgetedHessianInput(source);

    Reader(AllowlistSerializerFactory factory) {
      input.setSerializerFactory(factory);
    }
  }

  /** Appends to the {@link ByteBuf} it currently targets. */
  private static final class ByteBufSink extends OutputStream {
    ByteBuf target;

    @Override
    public void write(int b) {
      target.writeByte(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      target.writeBytes(bytes, offset, length);
    }
  }

  /** Reads the bytes {@code [index, end)} of a {@link ByteBuf} without moving its reader index. */
  private static final class ByteBufSource extends InputStream {
    private ByteBuf buf;
    private int index;
    private int end;

    void set(ByteBuf buf, int start, int end) {
      this.buf = buf;
      this.index = start;
      this.end = end;
    }

    void clear() {
      buf = null;
      index = end = 0;
    }

    @Override
    public int read() {
      return index < end ? buf.getUnsignedByte(index++) : -1;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      int count = Math.min(length, end - index);
      if (count <= 0) {
        return -1;
      }
      buf.getBytes(index, bytes, offset, count);
      index += count;
      return count;
    }

    @Override
    public int available() {
      return end - index;
    }
  }
}
