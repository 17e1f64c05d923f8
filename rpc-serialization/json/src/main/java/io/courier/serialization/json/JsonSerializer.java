package io.courier.serialization.json;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.TypeAllowlist;
import io.courier.serialization.UnsupportedTypes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;
import tools.jackson.databind.module.SimpleModule;

/**
 * JSON through Jackson 3 (wire id 4, name {@code "json"}): readable, and what REST clients in any language
 * speak.
 *
 * <p>A value is one JSON document, written with its declared type (so {@code Page<User>} is written and read
 * as a page of users). The arguments of a call are one JSON array, each element read with its parameter's
 * declared generic type. JSON carries no class names: reading builds only the declared types and the classes
 * their properties declare, so it is safe whatever the input. Default typing stays off; a
 * {@code @JsonTypeInfo(use = CLASS)} a user writes on a model is checked against the {@link TypeAllowlist}.
 * A value declared as {@code Object} comes back as maps, lists, strings, numbers and booleans.
 *
 * <p>Settings: fields are visible whatever their access (so plain classes with private fields work), unknown
 * properties are ignored, {@code java.time} values are ISO-8601 strings that keep their offset (a
 * {@code ZonedDateTime} keeps its offset, not its region id), nesting is limited to {@value #MAX_DEPTH}
 * levels both ways.
 *
 * <p>Reading is linear in the bytes: JSON has no shared references, so every value read is at least a byte of
 * input, and hashed sets and maps whose elements could collide are filled only after a
 * {@link io.courier.serialization.ReadBudget#checkHashCodes} of them ({@link HashedCollections}).
 *
 * <pre>{@code
 * Serializer json = new JsonSerializerProvider().create(TypeAllowlist.withDefaults());
 * json.write(buf, page, pageOfUsersType);
 * Page<User> copy = (Page<User>) json.read(buf, pageOfUsersType);
 * }</pre>
 *
 * <p>Thread-safe: the mapper and its readers and writers are immutable.
 */
public final class JsonSerializer implements Serializer {

  /** The deepest nesting of arrays and objects read or written. */
  public static final int MAX_DEPTH = 256;

  private final TypeAllowlist allowlist;
  private final JsonMapper mapper;
  private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();
  private final Map<Type, ObjectWriter> writers = new ConcurrentHashMap<>();

  JsonSerializer(TypeAllowlist allowlist, ClassLoader classLoader) {
    this.allowlist = allowlist;
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
        .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
        .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
        .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
        .build();
    this.mapper = JsonMapper.builder(factory)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // a value ends where it ends; the caller owns the rest
        .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(DateTimeFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .disable(DateTimeFeature.WRITE_DATES_WITH_CONTEXT_TIME_ZONE)
        .changeDefaultVisibility(visibility -> visibility.withFieldVisibility(Visibility.ANY))
        .polymorphicTypeValidator(new AllowlistTypeValidator(allowlist))
        .addModule(IsoLocalDates.module()) // the ISO form by hand: DateTimeFormatter was a third of a page's cost
        .addModule(new SimpleModule("courier-allowlist")
            .addDeserializer(Class.class, new AllowlistClassDeserializer(allowlist, classLoader)))
        .addModule(new SimpleModule("courier-hashed-collections").setDeserializerModifier(new HashedCollections()))
        .build();
  }

  @Override
  public byte id() {
    return 4;
  }

  @Override
  public String name() {
    return "json";
  }

  @Override
  public void write(ByteBuf out, Object value, Type type) {
    int start = out.writerIndex();
    try (JsonGenerator generator = mapper.createGenerator((OutputStream) new ByteBufOutputStream(out))) {
      writer(type).writeValue(generator, value);
    } catch (JacksonException | IllegalArgumentException e) {
      out.writerIndex(start);
      throw new SerializationException("json cannot write " + describe(value) + " declared as "
          + type.getTypeName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Object read(ByteBuf in, Type type) {
    int start = in.readerIndex();
    try (JsonParser parser = parser(in)) {
      if (parser.nextToken() == null) {
        throw new SerializationException("json input is empty where " + type.getTypeName() + " was expected");
      }
      Object value = reader(type).readValue(parser);
      in.readerIndex(start + consumed(parser));
      return value;
    } catch (JacksonException | IllegalArgumentException e) {
      in.readerIndex(start);
      throw failure("json cannot read " + type.getTypeName(), e);
    } catch (SerializationException e) {
      in.readerIndex(start);
      throw e;
    }
  }

  /** Writes the arguments as one JSON array, each element with its parameter's declared type. */
  @Override
  public void writeArguments(ByteBuf out, Object[] args, Type[] types) {
    if (args.length != types.length) {
      throw new IllegalArgumentException("args: " + args.length + " values (expected: " + types.length + ")");
    }
    int start = out.writerIndex();
    int i = 0;
    try (JsonGenerator generator = mapper.createGenerator((OutputStream) new ByteBufOutputStream(out))) {
      generator.writeStartArray();
      for (; i < args.length; i++) {
        writer(types[i]).writeValue(generator, args[i]);
      }
      generator.writeEndArray();
    } catch (JacksonException | IllegalArgumentException e) {
      out.writerIndex(start);
      throw new SerializationException("json cannot write argument " + i + " (" + describe(args[i])
          + " declared as " + types[i].getTypeName() + "): " + e.getMessage(), e);
    }
  }

  /** Reads the JSON array {@link #writeArguments} writes; it must hold exactly {@code types.length} elements. */
  @Override
  public Object[] readArguments(ByteBuf in, Type[] types) {
    int start = in.readerIndex();
    Object[] args = new Object[types.length];
    int i = 0;
    try (JsonParser parser = parser(in)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new SerializationException("json arguments must be an array of " + types.length + " values");
      }
      for (; i < types.length; i++) {
        if (parser.nextToken() == JsonToken.END_ARRAY) {
          throw new SerializationException("json arguments hold " + i + " values (expected: " + types.length + ")");
        }
        args[i] = reader(types[i]).readValue(parser);
      }
      if (parser.nextToken() != JsonToken.END_ARRAY) {
        throw new SerializationException("json arguments hold more than " + types.length + " values");
      }
      in.readerIndex(start + consumed(parser));
      return args;
    } catch (JacksonException | IllegalArgumentException e) {
      in.readerIndex(start);
      throw failure("json cannot read argument " + i + " as "
          + (i < types.length ? types[i].getTypeName() : "a value"), e);
    } catch (SerializationException e) {
      in.readerIndex(start);
      throw e;
    }
  }

  @Override
  public String unsupportedReason(Type type) {
    return UnsupportedTypes.liveResourceReason("json", type);
  }

  @Override
  public String toString() {
    return "JsonSerializer{" + allowlist + "}";
  }

  /** A parser over the readable bytes; byte offsets it reports are relative to the reader index. */
  private JsonParser parser(ByteBuf in) {
    if (in.hasArray()) {
      return mapper.createParser(in.array(), in.arrayOffset() + in.readerIndex(), in.readableBytes());
    }
    return mapper.createParser((InputStream) new ByteBufInputStream(in.duplicate()));
  }

  /** How many bytes the parser has consumed up to the end of its current token. */
  private static int consumed(JsonParser parser) {
    long offset = parser.currentLocation().getByteOffset();
    if (offset < 0) {
      throw new SerializationException("json parser lost track of its position");
    }
    return (int) offset;
  }

  private ObjectReader reader(Type type) {
    ObjectReader reader = readers.get(type);
    if (reader == null) {
      JavaType javaType = mapper.getTypeFactory().constructType(type);
      reader = readers.computeIfAbsent(type, t -> mapper.readerFor(javaType));
    }
    return reader;
  }

  private ObjectWriter writer(Type type) {
    ObjectWriter writer = writers.get(type);
    if (writer == null) {
      JavaType javaType = mapper.getTypeFactory().constructType(type);
      writer = writers.computeIfAbsent(type, t -> mapper.writerFor(javaType));
    }
    return writer;
  }

  /** Keeps an allowlist refusal's own message (it names the class) when Jackson has wrapped it. */
  private static SerializationException failure(String what, Throwable e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SerializationException refused) {
        return new SerializationException(refused.getMessage(), e);
      }
    }
    return new SerializationException(what + ": " + e.getMessage(), e);
  }

  private static String describe(Object value) {
    return value == null ? "null" : "a " + value.getClass().getName();
  }

  /**
   * Reads a {@code Class} property (a class name in the JSON) only if the allowlist accepts the name, and
   * loads it without initializing it. Jackson's own would load, and initialize, any class.
   */
  @SuppressWarnings("rawtypes")
  private static final class AllowlistClassDeserializer extends StdScalarDeserializer<Class> {
    private final transient TypeAllowlist allowlist;
    private final transient ClassLoader classLoader;

    AllowlistClassDeserializer(TypeAllowlist allowlist, ClassLoader classLoader) {
      super(Class.class);
      this.allowlist = allowlist;
      this.classLoader = classLoader;
    }

    @Override
    public Class deserialize(JsonParser parser, DeserializationContext context) {
      String name = parser.getValueAsString();
      if (name == null) {
        return (Class) context.handleUnexpectedToken(Class.class, parser);
      }
      if (!allowlist.isAllowed(name)) {
        throw new SerializationException("class " + name
            + " is not allowed; add it with TypeAllowlist.allowClass(...) or allowPackage(...)");
      }
      try {
        return Class.forName(name, false, classLoader);
      } catch (ClassNotFoundException | LinkageError e) {
        return (Class) context.handleWeirdStringValue(Class.class, name, "no such class");
      }
    }
  }

  /**
   * Decides class names in {@code @JsonTypeInfo(use = CLASS)} polymorphism, which users may put on their
   * models: only allowlisted classes, checked by name before Jackson loads them.
   */
  private static final class AllowlistTypeValidator extends PolymorphicTypeValidator.Base {
    private static final long serialVersionUID = 1L;

    private final transient TypeAllowlist allowlist;

    AllowlistTypeValidator(TypeAllowlist allowlist) {
      this.allowlist = allowlist;
    }

    @Override
    public Validity validateSubClassName(DatabindContext context, JavaType baseType, String subClassName) {
      return allowlist.isAllowed(subClassName) ? Validity.ALLOWED : Validity.DENIED;
    }

    @Override
    public Validity validateSubType(DatabindContext context, JavaType baseType, JavaType subType) {
      return allowlist.isAllowed(subType.getRawClass()) ? Validity.ALLOWED : Validity.DENIED;
    }
  }
}
