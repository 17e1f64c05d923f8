package io.courier.bench.jmh;

import io.courier.bench.model.Payloads;
import io.courier.bench.model.ProtoUserService;
import io.courier.bench.model.UserService;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.reflect.Type;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each Courier serializer on the benchmark's {@code User} and {@code Page<User>} (protobuf on their generated
 * twins, with the same field values), writing into a pooled direct buffer as the TCP transport does, and reading
 * back. The encoded size is printed at setup; {@code -prof gc} gives bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SerializerBenchmark {

  @Param({"kryo", "protobuf", "hessian", "json"})
  public String serializer;

  @Param({"user", "page"})
  public String payload;

  private Serializer format;
  private Object value;
  private Type type;
  private ByteBuf buffer;

  @Setup(Level.Trial)
  public void setUp() throws NoSuchMethodException {
    TypeAllowlist allowlist = TypeAllowlist.withDefaults();
    boolean proto = serializer.equals("protobuf");
    Class<?> service = proto ? ProtoUserService.class : UserService.class;
    String method = payload.equals("user") ? "getUser" : "listUser";
    type = service.getMethod(method, payload.equals("user") ? long.class : int.class).getGenericReturnType();
    allowlist.allowType(type);
    format = SerializerSet.load(allowlist).byName(serializer);
    value = proto ? (payload.equals("user") ? Payloads.userMessage(42) : Payloads.pageMessage(7))
        : (payload.equals("user") ? Payloads.user(42) : Payloads.page(7));
    buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024);
    format.write(buffer, value, type);
    System.out.println(serializer + " " + payload + ": " + buffer.readableBytes() + " bytes");
    buffer.clear();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    buffer.release();
  }

  @Benchmark
  public int write() {
    buffer.clear();
    format.write(buffer, value, type);
    return buffer.writerIndex();
  }

  @Benchmark
  public Object writeThenRead() {
    buffer.clear();
    format.write(buffer, value, type);
    return format.read(buffer, type);
  }
}
