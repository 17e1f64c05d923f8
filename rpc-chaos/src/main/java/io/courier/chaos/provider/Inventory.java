package io.courier.chaos.provider;

import io.courier.common.Idempotent;
import io.courier.common.RpcService;

/**
 * The service every chaos scenario calls: one method that is safe to repeat and one that is not, both answering
 * with the name of the provider that ran them, so a scenario can tell where its calls went.
 */
@RpcService(name = "courier.chaos.Inventory")
public interface Inventory {

  /** How many of {@code sku} are in stock; reads only, so failover may run it again elsewhere. */
  @Idempotent
  Stock stock(String sku);

  /** Takes {@code count} of {@code sku}; must not run twice, so it is retried only when it cannot have run. */
  Stock reserve(String sku, int count);

  /** The answer: which provider ran the call, and how many calls of that kind it had run by then. */
  record Stock(String sku, long count, String provider) {}
}
