package io.courier.bench.model;

import io.courier.common.RpcService;
import io.courier.rest.PathParam;
import io.courier.rest.QueryParam;
import io.courier.rest.RestRoute;
import java.util.concurrent.CompletableFuture;

/**
 * {@link UserService} as a client stub with Courier's asynchronous signatures ({@code CompletableFuture} results):
 * the same service on the wire (its name, methods, arguments and REST routes), for the open loop, which starts calls
 * on schedule from one thread where a client can do so.
 */
@RpcService(name = "io.courier.bench.model.UserService")
public interface UserServiceAsync {

  @RestRoute(method = "GET", path = "/users/exists")
  CompletableFuture<Boolean> existUser(@QueryParam("email") String email);

  @RestRoute(method = "POST", path = "/users")
  CompletableFuture<Boolean> createUser(User user);

  @RestRoute(method = "GET", path = "/users/{id}")
  CompletableFuture<User> getUser(@PathParam("id") long id);

  @RestRoute(method = "GET", path = "/users")
  CompletableFuture<Page<User>> listUser(@QueryParam("pageNo") int pageNo);

  @RestRoute(method = "POST", path = "/echo")
  CompletableFuture<byte[]> echo(byte[] data);
}
