package io.courier.bench.system.limits;

import io.courier.bench.driver.Workload;
import io.courier.bench.model.Payloads;
import io.courier.bench.model.UserService;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Method;
import java.util.EnumMap;
import java.util.Map;

/**
 * The request and response sizes of each workload as Courier's kryo serializer writes them (payload only, no
 * frame header), measured once at setup so that the raw echo moves the same bytes as Courier TCP + kryo.
 */
final class EchoSizes {

  record Size(int request, int response) {}

  private EchoSizes() {}

  static Map<Workload, Size> measure() {
    TypeAllowlist allowlist = TypeAllowlist.withDefaults();
    Serializer kryo = SerializerSet.load(allowlist).byName("kryo");
    Map<Workload, Size> sizes = new EnumMap<>(Workload.class);
    sizes.put(Workload.EXIST_USER, size(kryo, allowlist, "existUser", new Object[] {Payloads.EMAIL}, true));
    sizes.put(Workload.CREATE_USER, size(kryo, allowlist, "createUser", new Object[] {Payloads.user(42)}, true));
    sizes.put(Workload.GET_USER, size(kryo, allowlist, "getUser", new Object[] {42L}, Payloads.user(42)));
    sizes.put(Workload.LIST_USER, size(kryo, allowlist, "listUser", new Object[] {7}, Payloads.page(7)));
    sizes.put(Workload.ECHO, size(kryo, allowlist, "echo", new Object[] {Payloads.echoBytes()}, Payloads.echoBytes()));
    return sizes;
  }

  private static Size size(Serializer kryo, TypeAllowlist allowlist, String methodName, Object[] args,
      Object result) {
    Method method = find(methodName);
    for (java.lang.reflect.Type t : method.getGenericParameterTypes()) {
      allowlist.allowType(t);
    }
    allowlist.allowType(method.getGenericReturnType());
    ByteBuf buf = Unpooled.buffer();
    try {
      kryo.writeArguments(buf, args, method.getGenericParameterTypes());
      int request = buf.readableBytes();
      buf.clear();
      kryo.write(buf, result, method.getGenericReturnType());
      return new Size(request, buf.readableBytes());
    } finally {
      buf.release();
    }
  }

  private static Method find(String name) {
    for (Method m : UserService.class.getMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new IllegalStateException("UserService has no method " + name);
  }
}
