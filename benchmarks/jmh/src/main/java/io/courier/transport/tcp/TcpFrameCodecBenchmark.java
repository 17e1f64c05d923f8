package io.courier.transport.tcp;

import io.courier.bench.model.Payloads;
import io.courier.bench.model.User;
import io.courier.bench.model.UserService;
import io.courier.common.Metadata;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.lang.reflect.Type;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Courier's TCP frame codec alone: encoding a REQUEST frame for {@code createUser(User)} (header, metadata and
 * the kryo body written into a pooled buffer) and decoding it again with {@link TcpFrameDecoder} on an
 * {@link EmbeddedChannel}. In this package because the codec's classes are package-private; it benchmarks the
 * production classes unchanged.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TcpFrameCodecBenchmark {

  private static final String SERVICE = UserService.class.getName();

  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private Serializer kryo;
  private Object[] args;
  private Type[] types;
  private ByteBuf encoded;
  private EmbeddedChannel decoder;
  private long id;

  @Setup(Level.Trial)
  public void setUp() {
    TypeAllowlist allowlist = TypeAllowlist.withDefaults().allowType(User.class);
    kryo = SerializerSet.load(allowlist).byName("kryo");
    args = new Object[] {Payloads.user(42)};
    types = new Type[] {User.class};
    encoded = encode();
    decoder = new EmbeddedChannel(new TcpFrameDecoder(8 * 1024 * 1024, 64 * 1024, 64));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    encoded.release();
    decoder.finishAndReleaseAll();
  }

  private ByteBuf encode() {
    return TcpFrameWriter.request(alloc, ++id, false, kryo, SERVICE, "createUser", 5_000_000, Metadata.EMPTY, args,
        types);
  }

  @Benchmark
  public int encodeRequest() {
    ByteBuf frame = encode();
    int size = frame.readableBytes();
    frame.release();
    return size;
  }

  @Benchmark
  public Object decodeRequest() {
    decoder.writeInbound(encoded.retainedDuplicate());
    Object frame = decoder.readInbound();
    ReferenceCountUtil.release(frame);
    return frame;
  }
}
