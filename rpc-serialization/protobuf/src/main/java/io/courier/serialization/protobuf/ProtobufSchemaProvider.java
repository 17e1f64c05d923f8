package io.courier.serialization.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.ProtocolMessageEnum;
import io.courier.describe.JsonSchemas;
import io.courier.describe.SchemaProvider;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes generated protobuf messages and enums as JSON Schema, from their {@code Descriptor}, in the shape of
 * protobuf's JSON mapping (what {@code JsonFormat}, grpcurl and the gRPC gateways read and write): fields by their
 * JSON name (lowerCamelCase), 64-bit integers as integers or decimal strings, enums by value name, {@code bytes} as
 * base64, repeated fields as arrays, maps as objects, nested messages in {@code $defs} by full name (so recursive
 * messages end), the well-known types ({@code Timestamp}, {@code Duration}, the wrappers, {@code Struct},
 * {@code Value}, {@code Any}, ...) as their JSON forms. The members of a {@code oneof} are properties of which at
 * most one may be present (a {@code oneOf} constraint; each carries {@value JsonSchemas#ONE_OF_GROUP} naming its
 * group). Found by {@link java.util.ServiceLoader} with the protobuf serializer, so that {@code rpc-core} does not
 * depend on protobuf. Stateless.
 */
public final class ProtobufSchemaProvider implements SchemaProvider {

  private static final String WELL_KNOWN = "google.protobuf.";

  @Override
  public Map<String, Object> schema(Type type, Context context) {
    if (!(type instanceof Class<?> c)) {
      return null;
    }
    if (Message.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
      Object descriptor = staticDescriptor(c);
      return descriptor instanceof Descriptor d ? message(d, context) : null;
    }
    if (ProtocolMessageEnum.class.isAssignableFrom(c) && c.isEnum()) {
      Object descriptor = staticDescriptor(c);
      return descriptor instanceof EnumDescriptor e ? enumeration(e) : null;
    }
    return null;
  }

  /** A generated class's {@code static getDescriptor()}, or null. */
  private static Object staticDescriptor(Class<?> c) {
    try {
      Method m = c.getMethod("getDescriptor");
      return Modifier.isStatic(m.getModifiers()) ? m.invoke(null) : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Map<String, Object> message(Descriptor d, Context context) {
    Map<String, Object> wellKnown = wellKnown(d.getFullName());
    if (wellKnown != null) {
      return wellKnown;
    }
    return context.ref(d.getFullName(), d.getFullName(), definition -> {
      definition.put("type", "object");
      definition.put("title", d.getName());
      definition.put("description", "protobuf message " + d.getFullName() + " (protobuf's JSON mapping)");
      Map<String, Object> properties = new LinkedHashMap<>();
      for (FieldDescriptor field : d.getFields()) {
        Map<String, Object> schema = field(field, context);
        OneofDescriptor oneof = field.getRealContainingOneof();
        if (oneof != null) {
          schema = new LinkedHashMap<>(schema);
          schema.put(JsonSchemas.ONE_OF_GROUP, oneof.getName());
        }
        properties.put(field.getJsonName(), schema);
      }
      definition.put("properties", properties);
      List<Object> constraints = new ArrayList<>();
      for (OneofDescriptor oneof : d.getRealOneofs()) {
        // exactly one branch holds: one member alone, or none of them
        List<Object> branches = new ArrayList<>();
        List<Object> any = new ArrayList<>();
        for (FieldDescriptor member : oneof.getFields()) {
          branches.add(object("required", List.of(member.getJsonName())));
          any.add(object("required", List.of(member.getJsonName())));
        }
        branches.add(object("not", object("anyOf", any)));
        constraints.add(object("oneOf", branches));
      }
      if (!constraints.isEmpty()) {
        definition.put("allOf", constraints);
      }
    });
  }

  private static Map<String, Object> field(FieldDescriptor field, Context context) {
    if (field.isMapField()) {
      Descriptor entry = field.getMessageType();
      FieldDescriptor key = entry.findFieldByName("key");
      Map<String, Object> schema = object("type", "object");
      switch (key.getJavaType()) {
        case INT, LONG -> schema.put("propertyNames", object("pattern", "^-?[0-9]+$"));
        case BOOLEAN -> schema.put("propertyNames", object("enum", List.of("true", "false")));
        default -> { }
      }
      schema.put("additionalProperties", value(entry.findFieldByName("value"), context));
      return schema;
    }
    Map<String, Object> value = value(field, context);
    return field.isRepeated() ? object("type", "array", "items", value) : value;
  }

  private static Map<String, Object> value(FieldDescriptor field, Context context) {
    FieldDescriptor.Type type = field.getType();
    return switch (field.getJavaType()) {
      case INT -> type == FieldDescriptor.Type.UINT32 || type == FieldDescriptor.Type.FIXED32
          ? object("type", "integer", "format", "uint32", "minimum", 0, "maximum", 4294967295L)
          : object("type", "integer", "format", "int32", "minimum", Integer.MIN_VALUE, "maximum", Integer.MAX_VALUE);
      case LONG -> int64(type == FieldDescriptor.Type.UINT64 || type == FieldDescriptor.Type.FIXED64);
      case FLOAT -> object("type", "number", "format", "float");
      case DOUBLE -> object("type", "number", "format", "double");
      case BOOLEAN -> object("type", "boolean");
      case STRING -> object("type", "string");
      case BYTE_STRING -> object("type", "string", "contentEncoding", "base64");
      case ENUM -> enumeration(field.getEnumType());
      case MESSAGE -> message(field.getMessageType(), context);
    };
  }

  /** 64-bit integers: JSON numbers lose precision past 2^53, so the mapping writes decimal strings and reads both. */
  private static Map<String, Object> int64(boolean unsigned) {
    return object("type", List.of("integer", "string"), "format", unsigned ? "uint64" : "int64",
        "pattern", unsigned ? "^[0-9]+$" : "^-?[0-9]+$");
  }

  private static Map<String, Object> enumeration(EnumDescriptor e) {
    List<Object> names = new ArrayList<>();
    for (EnumValueDescriptor value : e.getValues()) {
      names.add(value.getName());
    }
    return object("type", "string", "enum", names, "title", e.getName());
  }

  /** The JSON forms of the well-known types, or null. */
  private static Map<String, Object> wellKnown(String fullName) {
    if (!fullName.startsWith(WELL_KNOWN)) {
      return null;
    }
    return switch (fullName.substring(WELL_KNOWN.length())) {
      case "Timestamp" -> object("type", "string", "format", "date-time");
      case "Duration" -> object("type", "string", "pattern", "^-?[0-9]+(\\.[0-9]{1,9})?s$", "examples",
          List.of("1.5s"));
      case "DoubleValue", "FloatValue" -> object("type", "number");
      case "Int64Value" -> int64(false);
      case "UInt64Value" -> int64(true);
      case "Int32Value", "UInt32Value" -> object("type", "integer");
      case "BoolValue" -> object("type", "boolean");
      case "StringValue" -> object("type", "string");
      case "BytesValue" -> object("type", "string", "contentEncoding", "base64");
      case "Struct", "Empty" -> object("type", "object");
      case "ListValue" -> object("type", "array");
      case "Value" -> new LinkedHashMap<>();
      case "FieldMask" -> object("type", "string");
      case "Any" -> object("type", "object", "properties", object("@type", object("type", "string")),
          "required", List.of("@type"));
      default -> null;
    };
  }

  private static Map<String, Object> object(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
