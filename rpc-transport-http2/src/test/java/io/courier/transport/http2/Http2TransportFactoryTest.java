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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link Http2Binding}s a factory serves with: found with {@code ServiceLoader} through the thread's context class
 * loader too (as an application server's class loader would offer them).
 */
class Http2TransportFactoryTest {

  /** A binding only the test's context class loader offers. */
  public static final class OfferedBinding implements Http2Binding {
    static final TransportOption<Boolean> OPTION = TransportOption.of("test.countingBinding", Boolean.class, false,
        v -> true, "a boolean");

    @Override
    public Set<TransportOption<?>> serverOptions() {
      return Set.of(OPTION);
    }
  }

  @Test
  void bindingsOfAContextClassLoaderAreFound(@TempDir Path dir) throws Exception {
    Path services = Files.writeString(dir.resolve(Http2Binding.class.getName()), OfferedBinding.class.getName());
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
    thread.setContextClassLoader(offering);
    try {
      assertThat(new Http2TransportFactory().serverOptions()).as("the binding's options")
          .contains(OfferedBinding.OPTION);
    } finally {
      thread.setContextClassLoader(before);
    }
    assertThat(new Http2TransportFactory().serverOptions()).as("the module's own loader does not offer it")
        .doesNotContain(OfferedBinding.OPTION);
  }
}
