package io.courier.bench.model;

import io.courier.bench.model.proto.UserMessage;
import io.courier.bench.model.proto.UserPageMessage;
import io.courier.common.RpcService;
import java.util.concurrent.CompletableFuture;

/** {@link ProtoUserService} with Courier's asynchronous signatures; the same service on the wire. */
@RpcService(name = "courier.bench.UserService")
public interface ProtoUserServiceAsync {

  CompletableFuture<Boolean> existUser(String email);

  CompletableFuture<Boolean> createUser(UserMessage user);

  CompletableFuture<UserMessage> getUser(long id);

  CompletableFuture<UserPageMessage> listUser(int pageNo);

  CompletableFuture<byte[]> echo(byte[] data);
}
