package io.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.serialization.SerializationException;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerProvider;
import io.courier.serialization.TypeAllowlist;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Array;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Known deserialization gadget-chain classes (the ysoserial CommonsCollections family) and the proof every
 * class-aware serializer must pass: bytes that name a gadget class are refused with the class name in the
 * error, and the class is never even requested from a class loader, let alone instantiated. Needs
 * commons-collections 3.1 and commons-collections4 4.0 on the test class path.
 */
public final class GadgetChains {

  private GadgetChains() {}

  /** Gadget objects by a short name, built reflectively from the vulnerable libraries. */
  public static Map<String, Supplier<Object>> gadgets() {
    Map<String, Supplier<Object>> gadgets = new LinkedHashMap<>();
    for (String pkg : new String[] {"org.apache.commons.collections", "org.apache.commons.collections4"}) {
      gadgets.put(pkg + ".functors.InvokerTransformer", () -> newInstance(pkg + ".functors.InvokerTransformer",
          new Class<?>[] {String.class, Class[].class, Object[].class},
          "getRuntime", new Class<?>[0], new Object[0]));
      gadgets.put(pkg + ".functors.ConstantTransformer", () -> newInstance(pkg + ".functors.ConstantTransformer",
          new Class<?>[] {Object.class}, "constant"));
      gadgets.put(pkg + ".functors.ChainedTransformer", () -> {
        Object constant = newInstance(pkg + ".functors.ConstantTransformer", new Class<?>[] {Object.class}, "c");
        Object chain = Array.newInstance(load(pkg + ".Transformer"), 1);
        Array.set(chain, 0, constant);
        return newInstance(pkg + ".functors.ChainedTransformer", new Class<?>[] {chain.getClass()}, chain);
      });
    }
    return gadgets;
  }

  /**
   * Writes each gadget with a permissive serializer, reads it back with the default allowlist through a
   * recording class loader, and asserts refusal without loading; then, as a control, shows the same bytes
   * do reach the class loader once the class is allowed.
   */
  public static void assertNeverLoaded(SerializerProvider provider) {
    for (Map.Entry<String, Supplier<Object>> gadget : gadgets().entrySet()) {
      Object instance = gadget.getValue().get();
      String className = instance.getClass().getName();
      byte[] bytes = write(provider, instance);

      RecordingClassLoader loader = new RecordingClassLoader(GadgetChains.class.getClassLoader());
      Serializer strict = withContextLoader(loader, () -> provider.create(TypeAllowlist.withDefaults()));
      assertThatThrownBy(() -> read(strict, bytes)).as(className).isInstanceOf(SerializationException.class)
          .hasMessageContaining(className);
      assertThat(loader.requested()).as("classes requested while refusing " + className)
          .doesNotContain(className);

      RecordingClassLoader controlLoader = new RecordingClassLoader(GadgetChains.class.getClassLoader());
      Serializer permissive = withContextLoader(controlLoader,
          () -> provider.create(TypeAllowlist.withDefaults().allowPackage(packageOf(className))));
      try {
        read(permissive, bytes);
      } catch (SerializationException ignored) {
        // whether it decodes fully does not matter; the control only shows the loader sees requests
      }
      assertThat(controlLoader.requested()).as("control: the class is requested once allowed")
          .contains(className);
    }
  }

  private static byte[] write(SerializerProvider provider, Object instance) {
    Serializer writer = provider.create(TypeAllowlist.withDefaults().allowPackage(packageOf(
        instance.getClass().getName())));
    ByteBuf buf = Unpooled.buffer();
    try {
      writer.write(buf, instance, Object.class);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      return bytes;
    } finally {
      buf.release();
    }
  }

  private static Object read(Serializer serializer, byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      return serializer.read(buf, Object.class);
    } finally {
      buf.release();
    }
  }

  private static <T> T withContextLoader(ClassLoader loader, Supplier<T> action) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return action.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static String packageOf(String className) {
    return className.substring(0, className.lastIndexOf('.'));
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(name + " is not on the test class path (add the gadget libraries)", e);
    }
  }

  private static Object newInstance(String className, Class<?>[] types, Object... args) {
    try {
      return load(className).getConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build gadget " + className, e);
    }
  }

  /** Records every class name asked of it, then delegates. */
  public static final class RecordingClassLoader extends ClassLoader {
    private final Set<String> requested = ConcurrentHashMap.newKeySet();

    public RecordingClassLoader(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      requested.add(name);
      return super.loadClass(name, resolve);
    }

    public Set<String> requested() {
      return Collections.unmodifiableSet(requested);
    }
  }
}
