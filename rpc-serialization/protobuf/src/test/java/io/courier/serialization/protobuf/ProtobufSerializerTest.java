package io.courier.serialization.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import com.google.protobuf.Timestamp;
import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.serialization.protobuf.testing.Index;
import io.courier.serialization.protobuf.testing.Node;
import io.courier.serialization.protobuf.testing.PageMessage;
import io.courier.serialization.protobuf.testing.UserMessage;
import io.courier.testing.SerializerRoundTrip;
import io.courier.testing.serialization.TypeRef;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(30)
class ProtobufSerializerTest {

  private final Serializer protobuf = new ProtobufSerializerProvider().create(TypeAllowlist.withDefaults());

  private static final ExecutorService POOL = Executors.newFixedThreadPool(4);

  @AfterAll
  static void shutdown() throws InterruptedException {
    POOL.shutdownNow();
    POOL.awaitTermination(10, TimeUnit.SECONDS);
  }

  /** A plain class: protobuf cannot carry it. */
  static final class PlainUser {
    long id;
  }

  static UserMessage user(long id) {
    return UserMessage.newBuilder()
        .setId(id)
        .setName("Zhang San " + id)
        .setSex(1)
        .setBirthdayEpochDay(5471)
        .setEmail("zhang" + id + "@example.com")
        .setMobile("18612345678")
        .setAddress("北京市海淀区中关村大街 " + id + "号 — Ünïcødé ✓ 🚀")
        .setIcon("https://example.com/icons/" + id + ".png")
        .addAllPermissions(List.of(1, 2, 3, 4, 5, 6, 7, 8, 15, 16, 17, 18, 19, 20))
        .setStatus(1)
        .setCreateTime(Timestamp.newBuilder().setSeconds(1_709_285_415L).setNanos(123_000_000))
        .setUpdateTime(Timestamp.newBuilder().setSeconds(1_709_890_215L))
        .build();
  }

  static PageMessage page() {
    return PageMessage.newBuilder().setPageNo(2).setTotal(41).addResult(user(1)).addResult(user(2)).build();
  }

  // ---------------------------------------------------------------- round trips

  static Stream<Object[]> values() {
    return Stream.of(
        new Object[] {user(7), UserMessage.class},
        new Object[] {page(), PageMessage.class},
        new Object[] {UserMessage.getDefaultInstance(), UserMessage.class},
        new Object[] {"héllo wörld — 你好，世界 🌍", String.class},
        new Object[] {"", String.class},
        new Object[] {true, boolean.class},
        new Object[] {false, Boolean.class},
        new Object[] {42, int.class},
        new Object[] {-42, Integer.class},
        new Object[] {Long.MAX_VALUE, long.class},
        new Object[] {-1L, Long.class},
        new Object[] {2.5f, float.class},
        new Object[] {-0.125d, Double.class},
        new Object[] {ByteString.copyFromUtf8("bytes"), ByteString.class});
  }

  @ParameterizedTest
  @MethodSource("values")
  void roundTripsOnHeapDirectAndCompositeBuffers(Object value, Type type) {
    assertThat(roundTrip(value, type, Unpooled.buffer())).isEqualTo(value);
    assertThat(roundTrip(value, type, PooledByteBufAllocator.DEFAULT.directBuffer())).isEqualTo(value);
    assertThat(roundTrip(value, type, Unpooled.compositeBuffer())).isEqualTo(value);
    // read from a buffer split in two
    byte[] bytes = bytesOf(value, type);
    CompositeByteBuf split = Unpooled.compositeBuffer();
    int half = bytes.length / 2;
    split.addComponents(true, Unpooled.directBuffer().writeBytes(bytes, 0, half),
        Unpooled.directBuffer().writeBytes(bytes, half, bytes.length - half));
    try {
      assertThat(protobuf.read(split, type)).isEqualTo(value);
    } finally {
      split.release();
    }
  }

  @Test
  void roundTripsByteArrays() {
    byte[] bytes = "bytes \u00e9\u4e2d".getBytes(StandardCharsets.UTF_8);
    assertThat((byte[]) roundTrip(bytes, byte[].class, Unpooled.buffer())).isEqualTo(bytes);
    assertThat((byte[]) roundTrip(new byte[0], byte[].class, PooledByteBufAllocator.DEFAULT.directBuffer())).isEmpty();
  }

  @Test
  void writesMessagesAsTheirExactBytes() throws IOException {
    assertThat(bytesOf(user(3), UserMessage.class)).isEqualTo(user(3).toByteArray());
    assertThat(bytesOf("x", String.class)).isEqualTo(StringValue.of("x").toByteArray());
    assertThat(bytesOf(5, int.class)).isEqualTo(Int32Value.of(5).toByteArray());
    assertThat(bytesOf(UserMessage.getDefaultInstance(), UserMessage.class)).isEmpty();
  }

  @Test
  void writesASingleMessageArgumentAsTheRawGrpcPayload() {
    UserMessage message = user(11);
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer();
    try {
      protobuf.writeArguments(buf, new Object[] {message}, new Type[] {UserMessage.class});
      assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(message.toByteArray());
      assertThat(protobuf.readArguments(buf, new Type[] {UserMessage.class})).containsExactly(message);
      assertThat(buf.readableBytes()).isZero();
    } finally {
      buf.release();
    }
  }

  @Test
  void aLargeMessageGrowsTheBufferToExactlyItsSizeNotToThePowerOfTwoAbove() {
    ByteString megabyte = ByteString.copyFrom(new byte[1 << 20]);
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(256);
    try {
      buf.writeZero(5); // a gRPC message prefix, written before the message as the framer does
      protobuf.write(buf, megabyte, ByteString.class);
      assertThat(buf.capacity()).as("a doubling buffer would be 2 MiB").isEqualTo(buf.writerIndex());
      assertThat((ByteString) protobuf.read(buf.skipBytes(5), ByteString.class)).isEqualTo(megabyte);
    } finally {
      buf.release();
    }
  }

  @Test
  void writesSeveralArgumentsAsOneEnvelopeMessage() throws IOException {
    Type[] types = {UserMessage.class, String.class, PageMessage.class, long.class, Integer.class, byte[].class};
    Object[] args = {user(1), "naïve", page(), 7L, null, new byte[] {1, 2}};
    ByteBuf buf = Unpooled.buffer();
    try {
      protobuf.writeArguments(buf, args, types);
      // the envelope is message Args { UserMessage a = 1; StringValue b = 2; ... } with field 5 absent
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      CodedOutputStream output = CodedOutputStream.newInstance(expected);
      output.writeMessage(1, user(1));
      output.writeMessage(2, StringValue.of("naïve"));
      output.writeMessage(3, page());
      output.writeMessage(4, com.google.protobuf.Int64Value.of(7));
      output.writeMessage(6, com.google.protobuf.BytesValue.of(ByteString.copyFrom(new byte[] {1, 2})));
      output.flush();
      assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(expected.toByteArray());

      Object[] copy = protobuf.readArguments(buf, types);
      assertThat(copy[5]).isEqualTo(args[5]);
      copy[5] = args[5];
      assertThat(copy).containsExactly(args);
      assertThat(buf.readableBytes()).isZero();

      buf.clear();
      protobuf.writeArguments(buf, new Object[0], new Type[0]);
      assertThat(buf.readableBytes()).isZero();
      assertThat(protobuf.readArguments(buf, new Type[0])).isEmpty();

      buf.clear();
      protobuf.writeArguments(buf, new Object[] {null, null}, new Type[] {int.class, String.class});
      assertThat(protobuf.readArguments(buf, new Type[] {int.class, String.class})).containsExactly(0, null);
    } finally {
      buf.release();
    }
  }

  @Test
  void rejectsMalformedArgumentEnvelopes() {
    Type[] types = {String.class, String.class};
    assertRejected(new byte[] {0x1a, 0}, types); // field 3 of 2
    assertRejected(new byte[] {0x08, 1}, types); // field 1 as a varint
    assertRejected(new byte[] {0x0a, 0, 0x0a, 0}, types); // field 1 twice
    assertRejected(new byte[] {0x0a, 5, 0x0a, 1, 'a'}, types); // length beyond the end
    assertRejected(new byte[] {0x00}, types); // field 0
  }

  @Test
  void readsNullAndVoid() {
    for (Type type : List.of(UserMessage.class, PageMessage.class, String.class, Integer.class, byte[].class,
        ByteString.class)) {
      assertThat(roundTrip(null, type, Unpooled.buffer())).as(type.getTypeName()).isNull();
    }
    assertThat(roundTrip(null, int.class, Unpooled.buffer())).isEqualTo(0);
    assertThat(roundTrip(null, boolean.class, Unpooled.buffer())).isEqualTo(false);
    // null is the single byte 0x00, which no message can start with
    assertThat(bytesOf(null, UserMessage.class)).containsExactly(0);
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {0, 0x7f});
    assertThat(protobuf.read(buf, UserMessage.class)).isNull();
    assertThat(buf.readerIndex()).isEqualTo(1);

    assertThat(bytesOf(null, void.class)).isEmpty();
    assertThat(bytesOf(null, Void.class)).isEmpty();
    ByteBuf empty = Unpooled.wrappedBuffer(new byte[] {1, 2});
    assertThat(protobuf.read(empty, void.class)).isNull();
    assertThat(empty.readableBytes()).isZero();
  }

  @Test
  void resolvesEachMessageParserOnce() {
    MessageCodec first = MessageCodec.BY_CLASS.get(UserMessage.class);
    assertThat(first).isNotNull().isSameAs(MessageCodec.BY_CLASS.get(UserMessage.class));
    assertThat(first.parser).isSameAs(UserMessage.parser());
  }

  @Test
  void isThreadSafe() throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int seed = t;
      futures.add(POOL.submit(() -> {
        for (int i = 0; i < 300; i++) {
          UserMessage message = user(seed * 1000L + i);
          assertThat(roundTrip(message, UserMessage.class, PooledByteBufAllocator.DEFAULT.directBuffer()))
              .isEqualTo(message);
        }
      }));
    }
    for (Future<?> future : futures) {
      future.get(20, TimeUnit.SECONDS);
    }
  }

  // ---------------------------------------------------------------- unsupported types

  @Test
  void explainsWhichTypesItCannotCarry() {
    for (Type type : List.of(UserMessage.class, PageMessage.class, String.class, int.class, Long.class,
        byte[].class, ByteString.class, void.class, Void.class)) {
      assertThat(protobuf.unsupportedReason(type)).as(type.getTypeName()).isNull();
    }
    assertThat(protobuf.unsupportedReason(PlainUser.class)).isEqualTo("protobuf cannot carry "
        + PlainUser.class.getName() + " (not a protobuf Message); use kryo, hessian or json, or define a .proto"
        + " message");
    assertThat(protobuf.unsupportedReason(new TypeRef<List<UserMessage>>() {}.type()))
        .startsWith("protobuf cannot carry java.util.List<" + UserMessage.class.getName() + ">");
    assertThat(protobuf.unsupportedReason(java.time.LocalDate.class)).contains("not a protobuf Message");
    assertThat(protobuf.unsupportedReason(short.class)).contains("not a protobuf Message");
    assertThat(protobuf.unsupportedReason(Message.class)).contains("concrete generated message class");

    ByteBuf buf = Unpooled.buffer();
    try {
      assertThatThrownBy(() -> protobuf.write(buf, new PlainUser(), PlainUser.class))
          .isInstanceOf(SerializationException.class).hasMessageContaining("use kryo, hessian or json");
      assertThatThrownBy(() -> protobuf.read(buf, PlainUser.class)).isInstanceOf(SerializationException.class);
      assertThat(buf.writerIndex()).isZero();
    } finally {
      buf.release();
    }
  }

  // ---------------------------------------------------------------- malformed input

  @Test
  void rejectsValuesCutInsideAField() {
    byte[] whole = user(1).toByteArray();
    int address = indexOf(whole, "北京".getBytes(StandardCharsets.UTF_8));
    for (int length = address; length < address + 10; length++) {
      assertRejected(java.util.Arrays.copyOf(whole, length), UserMessage.class);
    }
    // a cut between fields is a valid, shorter message; any cut is a message or a SerializationException
    for (int length = 0; length < whole.length; length++) {
      readExpectingOnlySerializationException(java.util.Arrays.copyOf(whole, length), UserMessage.class);
    }
  }

  @Test
  void rejectsLengthsLongerThanTheInputBeforeAllocating() {
    // field 2 (name) claiming 2^31 - 1 bytes, and a nested message claiming as much
    byte[] hugeString = {0x12, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 'a'};
    byte[] hugeMessage = {0x1a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x08};
    for (Supplier<ByteBuf> allocate : List.<Supplier<ByteBuf>>of(Unpooled::buffer,
        PooledByteBufAllocator.DEFAULT::directBuffer)) {
      assertRejected(hugeString, UserMessage.class, allocate.get());
      assertRejected(hugeMessage, PageMessage.class, allocate.get());
      assertRejected(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}, byte[].class,
          allocate.get());
    }
  }

  @Test
  void rejectsNestingDeeperThanProtobufsLimit() {
    int depth = 100_000;
    int[] size = new int[depth + 1]; // size[i] = encoded size of the node at depth i
    for (int i = depth - 1; i >= 0; i--) {
      size[i] = 1 + CodedOutputStream.computeUInt32SizeNoTag(size[i + 1]) + size[i + 1];
    }
    byte[] bytes = new byte[size[0]];
    CodedOutputStream output = CodedOutputStream.newInstance(bytes);
    try {
      for (int i = 1; i <= depth; i++) {
        output.writeTag(1, 2);
        output.writeUInt32NoTag(size[i]);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertRejected(bytes, Node.class);
    Node shallow = Node.newBuilder().setChild(Node.newBuilder().setChild(Node.newBuilder().setLabel("leaf"))).build();
    assertThat(roundTrip(shallow, Node.class, Unpooled.buffer())).isEqualTo(shallow);
  }

  /**
   * Protobuf needs no {@code ReadBudget} of its own, and the kryo and hessian findings have no protobuf form: there
   * are no shared references, so every element, entry and message takes at least a byte (its tag) and a read
   * builds no more values than it has bytes; nesting stops at the parser's limit (above); and map keys can only be
   * strings, integers and booleans, which a HashMap orders by {@code compareTo} however their hash codes collide,
   * so 20,000 keys of one hash code cost a tree search each, not a scan of the others. This reads such maps back
   * whole; the kryo and hessian tests refuse the same shapes of keys that a HashMap cannot order.
   */
  @Test
  void readsMapsWhoseKeysShareOneHashCodeBecauseHashMapsOrderThem() {
    Index.Builder index = Index.newBuilder();
    for (int i = 0; i < 20_000; i++) {
      StringBuilder name = new StringBuilder(); // every string of "Aa" and "BB" has one hash code
      for (int bit = 0; bit < 15; bit++) {
        name.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      index.putByName(name.toString(), i);
      index.putById(i * 0x1_0000_0001L, "id"); // every one has the hash code 0
    }
    Index copy = (Index) roundTrip(index.build(), Index.class, Unpooled.buffer());
    assertThat(copy).isEqualTo(index.build());
    assertThat(copy.getByNameMap().keySet().stream().mapToInt(String::hashCode).distinct().count()).isOne();
    assertThat(copy.getByIdMap().keySet().stream().mapToInt(Object::hashCode).distinct().count()).isOne();
    assertThat(copy.getByNameMap()).hasSize(20_000);
    assertThat(copy.getByIdMap()).hasSize(20_000);
  }

  @Test
  void turnsGarbageIntoSerializationExceptionsOnly() {
    Random random = new Random(42);
    byte[] valid = page().toByteArray();
    for (int i = 0; i < 1000; i++) {
      byte[] garbage;
      if (i % 2 == 0) {
        garbage = new byte[random.nextInt(64)];
        random.nextBytes(garbage);
      } else {
        garbage = valid.clone();
        for (int j = 0; j < 3; j++) {
          garbage[random.nextInt(garbage.length)] = (byte) random.nextInt(256);
        }
      }
      for (Type type : List.of(UserMessage.class, PageMessage.class, String.class, long.class)) {
        readExpectingOnlySerializationException(garbage, type);
      }
      ByteBuf buf = Unpooled.wrappedBuffer(garbage);
      try {
        protobuf.readArguments(buf, new Type[] {PageMessage.class, String.class});
      } catch (SerializationException expected) {
        // fine
      }
    }
  }

  @Test
  void providerIsFoundByTheServiceLoader() {
    SerializerSet set = SerializerSet.load(TypeAllowlist.withDefaults());
    Serializer found = set.byName("protobuf");
    assertThat(found).isInstanceOf(ProtobufSerializer.class);
    assertThat(found.id()).isEqualTo((byte) 2);
    assertThat(found.name()).isEqualTo("protobuf");
    assertThat(set.byId(2)).isSameAs(found);
  }

  // ---------------------------------------------------------------- helpers

  private Object roundTrip(Object value, Type type, ByteBuf buf) {
    return SerializerRoundTrip.roundTrip(protobuf, value, type, buf);
  }

  private byte[] bytesOf(Object value, Type type) {
    return SerializerRoundTrip.bytesOf(protobuf, value, type);
  }

  private void assertRejected(byte[] bytes, Type type) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    assertThatThrownBy(() -> protobuf.read(buf, type)).isInstanceOf(SerializationException.class);
    assertThat(buf.readerIndex()).isZero();
  }

  private void assertRejected(byte[] bytes, Type type, ByteBuf buf) {
    try {
      buf.writeBytes(bytes);
      assertThatThrownBy(() -> protobuf.read(buf, type)).isInstanceOf(SerializationException.class);
      assertThat(buf.readerIndex()).isZero();
    } finally {
      buf.release();
    }
  }

  private void assertRejected(byte[] bytes, Type[] types) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    assertThatThrownBy(() -> protobuf.readArguments(buf, types)).isInstanceOf(SerializationException.class);
    assertThat(buf.readerIndex()).isZero();
  }

  private void readExpectingOnlySerializationException(byte[] bytes, Type type) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      protobuf.read(buf, type);
    } catch (SerializationException expected) {
      // fine
    } catch (Throwable t) {
      fail("read of " + ByteBufUtil.hexDump(bytes) + " as " + type + " threw " + t, t);
    }
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= bytes.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (bytes[i + j] != part[j]) {
          continue outer;
        }
      }
      return i + 1; // one byte into the part
    }
    throw new AssertionError("part not found");
  }
}
