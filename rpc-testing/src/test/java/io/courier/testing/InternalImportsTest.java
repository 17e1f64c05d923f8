package io.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InternalImportsTest {

  @TempDir
  Path root;

  private void source(String path, String text) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void findsAnotherModulesInternalPackageInImportsAndCodeButNotInComments() throws IOException {
    source("io/courier/transport/x/X.java", """
        package io.courier.transport.x;

        import static io.courier.internal.common.GenericCalls.isGeneric;

        import io.courier.internal.server.ServerDispatcher;
        import io.courier.transport.x.internal.Own;

        /** Names {@link io.courier.internal.common.HttpStatuses} in a comment only. */
        final class X {
          // io.courier.internal.common.SharedTimer, in a comment
          Object policy = io.courier.internal.server.ConnectionPolicy.UNLIMITED;
        }
        """);
    source("io/courier/transport/x/internal/Own.java", "package io.courier.transport.x.internal;\n");
    assertThat(InternalImports.foreign(root)).hasSize(3)
        .anySatisfy(line -> assertThat(line).contains(":3: import static io.courier.internal.common.GenericCalls"))
        .anySatisfy(line -> assertThat(line).contains(":5: import io.courier.internal.server.ServerDispatcher;"))
        .anySatisfy(line -> assertThat(line).contains(":11: Object policy = io.courier.internal.server"));
  }

  @Test
  void aModulesOwnInternalPackagesAreItsOwn() throws IOException {
    source("io/courier/internal/common/A.java", "package io.courier.internal.common;\n");
    source("io/courier/server/B.java", "package io.courier.server;\n\nimport io.courier.internal.common.A;\n");
    assertThat(InternalImports.foreign(root)).isEmpty();
  }

  @Test
  void thisModuleUsesNoOtherModulesInternals() {
    InternalImports.assertNone();
  }

  @Test
  void aMissingSourceRootIsAnError() {
    assertThatThrownBy(() -> InternalImports.foreign(root.resolve("absent")))
        .isInstanceOf(UncheckedIOException.class);
  }
}
