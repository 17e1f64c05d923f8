package io.courier.bench.system.limits;

import io.courier.bench.driver.AsyncOperation;
import io.courier.bench.driver.BenchSystem;
import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import io.courier.bench.model.NoOpUserService;
import io.courier.bench.model.UserService;
import io.courier.bench.model.UserServiceCalls;

/**
 * The ceiling: the load threads call the implementation directly, in the client JVM. No server process, no
 * serialization, no wire; what is left is the workload's own cost (building the answers) and the driver's.
 */
public final class DirectCallSystem implements BenchSystem {

  @Override
  public String name() {
    return "direct";
  }

  @Override
  public boolean needsServer() {
    return false;
  }

  @Override
  public RunningServer startServer(Endpoint settings) {
    throw new UnsupportedOperationException("the direct call has no server");
  }

  @Override
  public Client connect(Endpoint target, int concurrency) {
    UserService users = new NoOpUserService();
    return new Client() {
      @Override
      public Operation operation(Workload workload) {
        return UserServiceCalls.of(users, workload);
      }

      /** The call completes inside {@code start}: the open loop's scheduler makes it itself. */
      @Override
      public AsyncOperation asyncOperation(Workload workload) {
        return UserServiceCalls.inline(operation(workload));
      }

      @Override
      public void close() {}
    };
  }
}
