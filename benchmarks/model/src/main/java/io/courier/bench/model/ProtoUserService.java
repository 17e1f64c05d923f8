package io.courier.bench.model;

import io.courier.bench.model.proto.UserMessage;
import io.courier.bench.model.proto.UserPageMessage;
import io.courier.common.RpcService;

/**
 * {@link UserService} for protobuf-based systems: the same operations with {@link UserMessage} and
 * {@link UserPageMessage} in place of the beans. Its wire name and method names are those of the
 * {@code courier.bench.UserService} service in {@code user_service.proto}, and Courier's protobuf serializer
 * carries the scalar arguments as the well-known wrappers that file uses, so a Courier stub of this interface and
 * a grpc-java stub of that service make the same calls.
 */
@RpcService(name = "courier.bench.UserService")
public interface ProtoUserService {

  boolean existUser(String email);

  boolean createUser(UserMessage user);

  UserMessage getUser(long id);

  UserPageMessage listUser(int pageNo);

  byte[] echo(byte[] data);
}
