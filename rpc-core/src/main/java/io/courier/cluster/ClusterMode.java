package io.courier.cluster;

/**
 * What a client does when a call to one provider fails, chosen per service with {@link ClusterOptions#MODE}, per
 * method with {@link ClusterPolicy}, or for the whole client with {@code RpcClient.Builder.clusterMode}. Every mode
 * runs within the call's one deadline.
 *
 * <pre>{@code
 * @ClusterPolicy(ClusterMode.FORKING)
 * Quote bestQuote(String symbol);
 * }</pre>
 */
public enum ClusterMode {
  /**
   * Retries on another provider, up to {@link ClusterOptions#MAX_ATTEMPTS} attempts in all (default 3), while the
   * retry budget and the deadline allow. Always retried: {@code UNAVAILABLE} when the request cannot have run (the
   * provider could not be reached, refused it, or was shutting down). Retried only for {@code @Idempotent} methods:
   * {@code UNAVAILABLE} after a connection was lost with the request in flight, {@code INTERNAL}, {@code UNKNOWN},
   * {@code RESOURCE_EXHAUSTED}, {@code ABORTED}, {@code DATA_LOSS}, {@code UNIMPLEMENTED}. Never retried: an
   * exception thrown by the service, {@code DEADLINE_EXCEEDED}, {@code CANCELLED}, and answers such as
   * {@code INVALID_ARGUMENT} or {@code NOT_FOUND}. The default.
   */
  FAILOVER,
  /** One attempt; its failure is the call's failure. For calls that must not run twice in any case. */
  FAILFAST,
  /**
   * One attempt; any failure is logged at WARN and the call returns the default value ({@code null}, {@code 0},
   * {@code false}). For calls whose result does not matter, such as audit logging.
   */
  FAILSAFE,
  /**
   * Sends the call to {@link ClusterOptions#FORKS} providers at once (default 2); the first answer wins and the
   * others are cancelled. Fails only if every fork fails. Forks beyond the first are sent only while the retry
   * budget allows. Trades load for tail latency; use for idempotent reads.
   */
  FORKING,
  /**
   * Sends the call to every provider and waits for all; fails if any fails (naming which), else returns the first
   * provider's result. For notifications every provider must see, such as cache invalidation.
   */
  BROADCAST
}
