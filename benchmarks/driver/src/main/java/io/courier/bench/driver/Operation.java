package io.courier.bench.driver;

/**
 * One call of a workload through a system's client, made synchronously on the calling thread. Implementations
 * check the answer enough that a broken system cannot look fast (a wrong answer throws), and are called by many
 * threads at once.
 */
@FunctionalInterface
public interface Operation {

  /** Makes one call; {@code sequence} numbers the calls of one thread, for arguments that vary. */
  void call(long sequence) throws Exception;
}
