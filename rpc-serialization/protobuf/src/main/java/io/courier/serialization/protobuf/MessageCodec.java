package io.courier.serialization.protobuf;

import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.DoubleValue;
import com.google.protobuf.FloatValue;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Int64Value;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.StringValue;
import com.google.protobuf.UnsafeByteOperations;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.function.Function;

/**
 * How one Java type travels as a protobuf message: a generated {@link Message} class as itself, a scalar as its
 * well-known wrapper ({@code String} as {@code google.protobuf.StringValue}, ...). Immutable.
 *
 * <p>Invariant: {@link #parser} was looked up once, when the codec was made, never per call.
 */
final class MessageCodec {

  /** Codecs by class, made on first use; a class protobuf cannot carry maps to {@code null}. */
  static final ClassValue<MessageCodec> BY_CLASS = new ClassValue<>() {
    @Override
    protected MessageCodec computeValue(Class<?> type) {
      return create(type);
    }
  };

  final Parser<? extends Message> parser;
  /** The value a missing or null primitive reads as; null for reference types. */
  final Object absent;
  private final Function<Object, Message> toMessage;
  private final Function<Message, Object> fromMessage;

  private MessageCodec(Parser<? extends Message> parser, Object absent, Function<Object, Message> toMessage,
      Function<Message, Object> fromMessage) {
    this.parser = parser;
    this.absent = absent;
    this.toMessage = toMessage;
    this.fromMessage = fromMessage;
  }

  Message toMessage(Object value) {
    return toMessage.apply(value);
  }

  Object fromMessage(Message message) {
    return fromMessage.apply(message);
  }

  private static MessageCodec create(Class<?> type) {
    if (type == String.class) {
      return scalar(StringValue.parser(), null, v -> StringValue.of((String) v), m -> ((StringValue) m).getValue());
    } else if (type == boolean.class || type == Boolean.class) {
      return scalar(BoolValue.parser(), type.isPrimitive() ? false : null, v -> BoolValue.of((Boolean) v),
          m -> ((BoolValue) m).getValue());
    } else if (type == int.class || type == Integer.class) {
      return scalar(Int32Value.parser(), type.isPrimitive() ? 0 : null, v -> Int32Value.of((Integer) v),
          m -> ((Int32Value) m).getValue());
    } else if (type == long.class || type == Long.class) {
      return scalar(Int64Value.parser(), type.isPrimitive() ? 0L : null, v -> Int64Value.of((Long) v),
          m -> ((Int64Value) m).getValue());
    } else if (type == float.class || type == Float.class) {
      return scalar(FloatValue.parser(), type.isPrimitive() ? 0f : null, v -> FloatValue.of((Float) v),
          m -> ((FloatValue) m).getValue());
    } else if (type == double.class || type == Double.class) {
      return scalar(DoubleValue.parser(), type.isPrimitive() ? 0d : null, v -> DoubleValue.of((Double) v),
          m -> ((DoubleValue) m).getValue());
    } else if (type == byte[].class) {
      // the caller's array is wrapped, not copied: it is written out before write() returns
      return scalar(BytesValue.parser(), null, v -> BytesValue.of(UnsafeByteOperations.unsafeWrap((byte[]) v)),
          m -> ((BytesValue) m).getValue().toByteArray());
    } else if (type == ByteString.class) {
      return scalar(BytesValue.parser(), null, v -> BytesValue.of((ByteString) v), m -> ((BytesValue) m).getValue());
    } else if (Message.class.isAssignableFrom(type) && !type.isInterface()
        && !Modifier.isAbstract(type.getModifiers())) {
      return forMessageClass(type);
    }
    return null;
  }

  private static MessageCodec scalar(Parser<? extends Message> parser, Object absent,
      Function<Object, Message> toMessage, Function<Message, Object> fromMessage) {
    return new MessageCodec(parser, absent, toMessage, fromMessage);
  }

  private static MessageCodec forMessageClass(Class<?> type) {
    try {
      Method getDefaultInstance = type.getMethod("getDefaultInstance");
      Message defaultInstance = (Message) getDefaultInstance.invoke(null);
      Parser<? extends Message> parser = defaultInstance.getParserForType();
      return new MessageCodec(parser, null, Message.class::cast, message -> message);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // not a generated message class: unsupportedReason says so
    }
  }
}
