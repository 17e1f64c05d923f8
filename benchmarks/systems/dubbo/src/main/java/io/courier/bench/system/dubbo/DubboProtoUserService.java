package io.courier.bench.system.dubbo;

import com.google.protobuf.BoolValue;
import com.google.protobuf.BytesValue;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import io.courier.bench.model.proto.UserMessage;
import io.courier.bench.model.proto.UserPageMessage;

/**
 * The benchmark's service as Dubbo triple serves it with protobuf: every argument and result a protobuf message,
 * which is what makes triple use protobuf instead of wrapping hessian2. The same messages as
 * {@code user_service.proto}'s {@code UserService}.
 */
public interface DubboProtoUserService {

  BoolValue existUser(StringValue email);

  BoolValue createUser(UserMessage user);

  UserMessage getUser(Int64Value id);

  UserPageMessage listUser(Int32Value pageNo);

  BytesValue echo(BytesValue data);
}
