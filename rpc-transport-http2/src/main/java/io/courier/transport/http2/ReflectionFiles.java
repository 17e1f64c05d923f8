package io.courier.transport.http2;

import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.List;
import java.util.Objects;

/**
 * The value of {@link Http2Options#REFLECTION_FILES}: {@code .proto} files (as protoc's generated code gives them,
 * {@code OuterClass.getDescriptor()}) whose service declarations gRPC server reflection describes. Immutable.
 *
 * <pre>{@code
 * .option(Http2Options.REFLECTION_FILES, ReflectionFiles.of(io.grpc.testing.integration.Test.getDescriptor()))
 * }</pre>
 */
public final class ReflectionFiles {

  /** No file: every service is described from its messages' files, or by a declaration written from its interface. */
  public static final ReflectionFiles NONE = new ReflectionFiles(List.of());

  private final List<FileDescriptor> files;

  private ReflectionFiles(List<FileDescriptor> files) {
    this.files = files;
  }

  /** These files, searched in this order (and then their dependencies) for a service's declaration. */
  public static ReflectionFiles of(FileDescriptor... files) {
    Objects.requireNonNull(files, "files");
    for (int i = 0; i < files.length; i++) {
      if (files[i] == null) {
        throw new NullPointerException("files[" + i + "]: null (expected: a FileDescriptor, such as"
            + " OuterClass.getDescriptor())");
      }
    }
    return new ReflectionFiles(List.of(files));
  }

  public List<FileDescriptor> files() {
    return files;
  }

  @Override
  public String toString() {
    return files.stream().map(FileDescriptor::getName).toList().toString();
  }
}
