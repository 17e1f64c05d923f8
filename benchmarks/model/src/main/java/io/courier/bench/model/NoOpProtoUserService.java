package io.courier.bench.model;

import io.courier.bench.model.proto.UserMessage;
import io.courier.bench.model.proto.UserPageMessage;

/** {@link ProtoUserService} doing no real work; the protobuf twin of {@link NoOpUserService}. */
public final class NoOpProtoUserService implements ProtoUserService {

  @Override
  public boolean existUser(String email) {
    return email != null && !email.isEmpty();
  }

  @Override
  public boolean createUser(UserMessage user) {
    return user != null;
  }

  @Override
  public UserMessage getUser(long id) {
    return Payloads.userMessage(id);
  }

  @Override
  public UserPageMessage listUser(int pageNo) {
    return Payloads.pageMessage(pageNo);
  }

  @Override
  public byte[] echo(byte[] data) {
    return data;
  }
}
