package io.courier.chaos;

import io.courier.testing.InternalImports;
import org.junit.jupiter.api.Test;

/** This module's main code names no other module's {@code internal} package (docs/ARCHITECTURE.md, "Modules"). */
class InternalImportsTest {

  @Test
  void noInternalPackageOfAnotherModuleIsNamed() {
    InternalImports.assertNone();
  }
}
