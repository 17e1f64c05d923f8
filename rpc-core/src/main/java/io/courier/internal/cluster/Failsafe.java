package io.courier.internal.cluster;

import io.courier.client.Invocation;
import io.courier.cluster.ClusterMode;
import io.courier.cluster.Provider;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterMode#FAILSAFE}: one attempt; a failure is logged and the caller gets the default value ({@code null},
 * which the stub turns into zero or false for a primitive).
 */
final class Failsafe implements ClusterStrategy {

  static final Failsafe INSTANCE = new Failsafe();
  private static final Logger log = LoggerFactory.getLogger(Failsafe.class);

  private Failsafe() {}

  @Override
  public CompletableFuture<Object> run(Invocation invocation, CallPlan plan, List<Provider> providers,
      Attempts attempts) {
    Attempt attempt = attempts.start(attempts.pickFirst(plan.balancer(), providers, invocation), invocation,
        plan.budget(), null);
    return attempt.handle((value, error) -> {
      if (error == null) {
        return value;
      }
      log.warn("{} failed on {}; failsafe mode returns the default value instead: {}",
          invocation.method().fullName(), attempt.provider().endpoint(), error.toString());
      return null;
    });
  }
}
