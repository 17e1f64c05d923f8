package io.courier.transport.rest;

import io.courier.common.RpcService;
import io.courier.common.StreamObserver;
import java.util.Map;

/** A versioned service with a recursive type and a streaming method, for {@link ServiceDescriptionsTest}. */
@RpcService(name = "demo.Catalog", version = "3", group = "green")
public interface Catalog {

  Item item(String sku);

  void watch(String prefix, StreamObserver<Item> items);

  /** An item, in a tree of items. */
  record Item(String sku, Item parent, Map<String, Integer> stock) {}

  /** Items named after their SKU. */
  final class Impl implements Catalog {
    @Override
    public Item item(String sku) {
      return new Item(sku, null, Map.of());
    }

    @Override
    public void watch(String prefix, StreamObserver<Item> items) {
      items.onNext(item(prefix));
      items.onCompleted();
    }
  }
}
