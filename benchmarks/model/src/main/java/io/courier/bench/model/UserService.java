package io.courier.bench.model;

import io.courier.common.RpcService;

/**
 * The benchmark's service, as the Dubbo benchmark and the wider RPC-benchmark community define it, plus a bulk
 * transfer. Every system under test serves this interface (or its protobuf twin, {@link ProtoUserService}) with
 * an implementation that does no work ({@link NoOpUserService}).
 */
@RpcService
public interface UserService {

  /** Tiny request, tiny response. */
  boolean existUser(String email);

  /** Object-sized request. */
  boolean createUser(User user);

  /** Object-sized response. */
  User getUser(long id);

  /** {@value Payloads#PAGE_SIZE} users per page, total {@value Payloads#TOTAL_USERS}. */
  Page<User> listUser(int pageNo);

  /** Bulk transfer: returns its argument ({@value Payloads#ECHO_BYTES} bytes in the benchmark). */
  byte[] echo(byte[] data);
}
