package io.courier.serialization.kryo;

import io.courier.testing.GadgetChains;
import org.junit.jupiter.api.Test;

/**
 * Known gadget-chain classes (commons-collections 3.1 and 4.0, the ysoserial CommonsCollections family) are
 * refused by name and never requested from a class loader, so they can never be instantiated.
 */
class KryoGadgetChainTest {

  @Test
  void gadgetClassesAreRefusedBeforeTheyAreLoaded() {
    GadgetChains.assertNeverLoaded(new KryoSerializerProvider());
  }
}
