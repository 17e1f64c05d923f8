package io.courier.internal.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.common.Metadata;
import io.courier.common.MethodDescriptor;
import io.courier.common.RpcException;
import io.courier.common.RpcService;
import io.courier.common.ServiceDescriptor;
import io.courier.common.Status;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * What a client rebuilds from the exception class a server names in its {@code courier-exception} trailer
 * (docs/security.md, "Deserialization"): only an {@code Exception} on the class path that the method declares, or an
 * unchecked one of the JDK or of the service's own package; anything else stays the {@link RpcException}, and a
 * refused class is never initialized.
 */
class ApplicationExceptionsTest {

  @RpcService(name = "test.Files")
  interface Files {
    String read(String name) throws IOException;
  }

  private static final MethodDescriptor READ = ServiceDescriptor.of(Files.class).method("read");

  private static Throwable fromServer(String className) {
    RpcException rpc = Status.UNKNOWN.withDescription("boom").asException(Metadata.EMPTY.with(
        Metadata.Key.of(ApplicationExceptions.EXCEPTION_CLASS_KEY), className));
    return ApplicationExceptions.toCallerException(rpc, READ);
  }

  @Test
  void anUncheckedOrDeclaredExceptionComesBackAsItsOwnTypeWithItsMessage() {
    assertThat(fromServer(IllegalStateException.class.getName())).isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("boom");
    assertThat(fromServer(java.io.FileNotFoundException.class.getName()))
        .isExactlyInstanceOf(java.io.FileNotFoundException.class).hasMessage("boom"); // an IOException: declared
  }

  @Test
  void anUncheckedExceptionOfTheServicesOwnPackageComesBackAsItsOwnType() {
    assertThat(fromServer(NoSuchFile.class.getName())).isExactlyInstanceOf(NoSuchFile.class).hasMessage("boom");
  }

  @Test
  void anUncheckedExceptionFromElsewhereIsNotConstructed() {
    // a library's unchecked exception the method does not declare: a server could name any class on the class path
    assertThat(fromServer(io.netty.util.IllegalReferenceCountException.class.getName())).as("another library's")
        .isInstanceOf(RpcException.class);
    String name = "io.courier.internal.elsewhere.FlagsItsInitialization";
    System.clearProperty(io.courier.internal.elsewhere.FlagsItsInitialization.PROPERTY);
    assertThat(fromServer(name)).isInstanceOf(RpcException.class);
    assertThat(System.getProperty(io.courier.internal.elsewhere.FlagsItsInitialization.PROPERTY))
        .as("its static initializer ran").isNull();
    assertThat(((RpcException) fromServer(name)).trailers().get(Metadata.Key.of(
        ApplicationExceptions.EXCEPTION_CLASS_KEY))).as("the class name stays readable").isEqualTo(name);
  }

  @Test
  void anythingElseStaysTheRpcException() {
    assertThat(fromServer(TimeoutException.class.getName())).as("checked, not declared")
        .isInstanceOf(RpcException.class);
    assertThat(fromServer(Thread.class.getName())).as("not an exception").isInstanceOf(RpcException.class);
    assertThat(fromServer(StackOverflowError.class.getName())).as("an Error").isInstanceOf(RpcException.class);
    assertThat(fromServer("com.example.NotOnTheClassPath")).isInstanceOf(RpcException.class);
    assertThat(fromServer(NoPublicConstructor.class.getName())).isInstanceOf(RpcException.class);
  }

  @Test
  void aClassThatIsRefusedIsNeverInitialized() {
    String name = ApplicationExceptionsTest.class.getName() + "$FlagsItsInitialization";
    System.clearProperty(FlagsItsInitialization.PROPERTY);
    assertThat(fromServer(name)).isInstanceOf(RpcException.class); // checked and not declared
    assertThat(System.getProperty(FlagsItsInitialization.PROPERTY)).as("its static initializer ran").isNull();
  }

  /** A checked exception that {@code read} does not declare, whose static initializer leaves a trace. */
  static final class FlagsItsInitialization extends Exception {
    static final String PROPERTY = "courier.test.FlagsItsInitialization"; // a constant: reading it initializes nothing
    private static final long serialVersionUID = 1L;

    static {
      System.setProperty(PROPERTY, "initialized");
    }

    public FlagsItsInitialization(String message) {
      super(message);
    }
  }

  /** An unchecked exception of the service's own package. */
  public static final class NoSuchFile extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoSuchFile(String message) {
      super(message);
    }
  }

  /** Unchecked, but nothing public to build it with. */
  static final class NoPublicConstructor extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private NoPublicConstructor(String message) {
      super(message);
    }
  }
}
