package io.courier.bench.system.dubbo;

import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import com.google.protobuf.UnsafeByteOperations;
import io.courier.bench.model.NoOpProtoUserService;
import io.courier.bench.model.ProtoUserService;
import io.courier.bench.model.proto.UserMessage;
import io.courier.bench.model.proto.UserPageMessage;

/** Adapters between {@link DubboProtoUserService} and the model's {@link ProtoUserService}, both ways. */
final class DubboProtoUserServices {

  private DubboProtoUserServices() {}

  /** The server side: the no-op service behind Dubbo's message signatures. */
  static DubboProtoUserService serving() {
    ProtoUserService users = new NoOpProtoUserService();
    return new DubboProtoUserService() {
      @Override
      public BoolValue existUser(StringValue email) {
        return BoolValue.of(users.existUser(email.getValue()));
      }

      @Override
      public BoolValue createUser(UserMessage user) {
        return BoolValue.of(users.createUser(user));
      }

      @Override
      public UserMessage getUser(Int64Value id) {
        return users.getUser(id.getValue());
      }

      @Override
      public UserPageMessage listUser(Int32Value pageNo) {
        return users.listUser(pageNo.getValue());
      }

      @Override
      public BytesValue echo(BytesValue data) {
        return data;
      }
    };
  }

  /** The client side: a Dubbo stub presented as the model's service, so the calls are the shared ones. */
  static ProtoUserService calling(DubboProtoUserService stub) {
    return new ProtoUserService() {
      @Override
      public boolean existUser(String email) {
        return stub.existUser(StringValue.of(email)).getValue();
      }

      @Override
      public boolean createUser(UserMessage user) {
        return stub.createUser(user).getValue();
      }

      @Override
      public UserMessage getUser(long id) {
        return stub.getUser(Int64Value.of(id));
      }

      @Override
      public UserPageMessage listUser(int pageNo) {
        return stub.listUser(Int32Value.of(pageNo));
      }

      @Override
      public byte[] echo(byte[] data) {
        ByteString back = stub.echo(BytesValue.of(UnsafeByteOperations.unsafeWrap(data))).getValue();
        return back.toByteArray();
      }
    };
  }
}
