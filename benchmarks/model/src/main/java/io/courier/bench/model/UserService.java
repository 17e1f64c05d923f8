package io.courier.bench.model;

import io.courier.common.RpcService;
import io.courier.rest.PathParam;
import io.courier.rest.QueryParam;
import io.courier.rest.RestRoute;

/**
 * The benchmark's service, as the Dubbo benchmark and the wider RPC-benchmark community define it, plus a bulk
 * transfer. Every system under test serves this interface (or its protobuf twin, {@link ProtoUserService}) with
 * an implementation that does no work ({@link NoOpUserService}).
 *
 * <p>The {@link RestRoute} annotations give Courier's REST binding the same resource routes as the Spring REST peer
 * ({@code GET /users/{id}}, {@code GET /users?pageNo=}, ...); every other system ignores them.
 */
@RpcService
public interface UserService {

  /** Tiny request, tiny response. */
  @RestRoute(method = "GET", path = "/users/exists")
  boolean existUser(@QueryParam("email") String email);

  /** Object-sized request. */
  @RestRoute(method = "POST", path = "/users")
  boolean createUser(User user);

  /** Object-sized response. */
  @RestRoute(method = "GET", path = "/users/{id}")
  User getUser(@PathParam("id") long id);

  /** {@value Payloads#PAGE_SIZE} users per page, total {@value Payloads#TOTAL_USERS}. */
  @RestRoute(method = "GET", path = "/users")
  Page<User> listUser(@QueryParam("pageNo") int pageNo);

  /** Bulk transfer: returns its argument ({@value Payloads#ECHO_BYTES} bytes in the benchmark; base64 in JSON). */
  @RestRoute(method = "POST", path = "/echo")
  byte[] echo(byte[] data);
}
