package io.courier.transport.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.transport.TransportOption;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link Http2Binding}s a factory serves with: found with {@code ServiceLoader} through the thread's context class
 * loader too (as an application server's class loader would offer them), once per class loader rather than on every
 * construction.
 */
class Http2TransportFactoryTest {

  /** A binding that counts how often {@code ServiceLoader} makes it: once per scan. */
  public static final class CountingBinding implements Http2Binding {
    static final AtomicInteger MADE = new AtomicInteger();
    static final TransportOption<Boolean> OPTION = TransportOption.of("test.countingBinding", Boolean.class, false,
        v -> true, "a boolean");

    public CountingBinding() {
      MADE.incrementAndGet();
    }

    @Override
    public Set<TransportOption<?>> serverOptions() {
      return Set.of(OPTION);
    }
  }

  @Test
  void bindingsOfAContextClassLoaderAreFoundOnceForIt(@TempDir Path dir) throws Exception {
    Path services = Files.writeString(dir.resolve(Http2Binding.class.getName()), CountingBinding.class.getName());
    String resource = "META-INF/services/" + Http2Binding.class.getName();
    ClassLoader offering = new ClassLoader(getClass().getClassLoader()) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        return name.equals(resource) ? Collections.enumeration(List.of(services.toUri().toURL()))
            : super.getResources(name);
      }
    };
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    int made = CountingBinding.MADE.get();
    thread.setContextClassLoader(offering);
    try {
      Http2TransportFactory first = new Http2TransportFactory();
      Http2TransportFactory second = new Http2TransportFactory();
      assertThat(first.serverOptions()).as("the binding's options").contains(CountingBinding.OPTION);
      assertThat(second.serverOptions()).contains(CountingBinding.OPTION);
      assertThat(CountingBinding.MADE.get() - made).as("scans of the loader for two factories").isEqualTo(1);
      assertThat(second.bindings()).isSameAs(first.bindings());
    } finally {
      thread.setContextClassLoader(before);
    }
    assertThat(new Http2TransportFactory().serverOptions()).as("the module's own loader does not offer it")
        .doesNotContain(CountingBinding.OPTION);
  }
}
