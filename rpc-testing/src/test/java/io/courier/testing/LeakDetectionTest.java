package io.courier.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The leak check really fails a class that leaks, and stays quiet for one that does not. */
class LeakDetectionTest {

  private static final ExtensionContext CONTEXT = (ExtensionContext) Proxy.newProxyInstance(
      LeakDetectionTest.class.getClassLoader(), new Class<?>[] {ExtensionContext.class},
      (proxy, method, args) -> method.getName().equals("getDisplayName") ? "LeakyTest" : null);

  @Test
  void failsTheClassWhenABufferIsNeverReleased() {
    LeakDetection check = new LeakDetection();
    check.beforeAll(CONTEXT);
    leakOne();
    assertThatThrownBy(() -> check.afterAll(CONTEXT)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("Netty buffer leak(s) reported while LeakyTest ran")
        .hasMessageContaining("LEAK: ByteBuf");
  }

  @Test
  void passesWhenEverythingIsReleased() {
    LeakDetection check = new LeakDetection();
    check.beforeAll(CONTEXT);
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(64).writeLong(1);
    buf.release();
    assertThatCode(() -> check.afterAll(CONTEXT)).doesNotThrowAnyException();
  }

  private static void leakOne() {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(64);
    buf.writeLong(42); // dropped without release()
  }
}
