package io.courier.bench.system.dubbo;

import io.courier.bench.model.Page;
import io.courier.bench.model.User;
import io.courier.bench.model.UserService;
import io.courier.bench.model.UserServiceAsync;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.dubbo.rpc.RpcContext;

/**
 * A Dubbo stub of {@link UserService} called asynchronously the way Dubbo documents consumer-side async for an
 * interface with synchronous signatures: {@code RpcContext.getServiceContext().asyncCall(...)} around the call, which
 * returns the call's future at once. The lambda returns null on purpose: {@code asyncCall} takes a non-null return
 * as an answer already there, and a stub method with a primitive result returns its default ({@code false}) when the
 * call is asynchronous.
 */
final class DubboAsyncCalls {

  private DubboAsyncCalls() {}

  static UserServiceAsync of(UserService stub) {
    return new UserServiceAsync() {
      @Override
      public CompletableFuture<Boolean> existUser(String email) {
        return async(() -> stub.existUser(email));
      }

      @Override
      public CompletableFuture<Boolean> createUser(User user) {
        return async(() -> stub.createUser(user));
      }

      @Override
      public CompletableFuture<User> getUser(long id) {
        return async(() -> stub.getUser(id));
      }

      @Override
      public CompletableFuture<Page<User>> listUser(int pageNo) {
        return async(() -> stub.listUser(pageNo));
      }

      @Override
      public CompletableFuture<byte[]> echo(byte[] data) {
        return async(() -> stub.echo(data));
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static <T> CompletableFuture<T> async(Callable<?> call) {
    return (CompletableFuture<T>) RpcContext.getServiceContext().asyncCall(() -> {
      call.call();
      return null;
    });
  }
}
