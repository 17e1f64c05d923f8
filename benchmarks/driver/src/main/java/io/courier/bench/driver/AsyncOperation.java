package io.courier.bench.driver;

import java.util.concurrent.CompletionStage;

/**
 * One call of a workload through a system's asynchronous client API: starts the call and returns at once with a
 * stage that completes when the answer has arrived and been checked (exceptionally on a failure or a wrong answer).
 * The open-loop driver uses it, where a system has one, to issue calls on schedule from a single thread, so that the
 * driver's own threads never limit the rate ({@link OpenLoopDriver}).
 */
@FunctionalInterface
public interface AsyncOperation {

  /** Starts one call; {@code sequence} numbers the calls, for arguments that vary. */
  CompletionStage<?> start(long sequence);
}
