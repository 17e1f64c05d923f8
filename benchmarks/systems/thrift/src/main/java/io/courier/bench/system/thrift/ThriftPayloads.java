package io.courier.bench.system.thrift;

import io.courier.bench.model.Page;
import io.courier.bench.model.Payloads;
import io.courier.bench.model.User;
import io.courier.bench.system.thrift.gen.ThriftUser;
import io.courier.bench.system.thrift.gen.ThriftUserPage;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The model's payloads as Thrift structs, with the same field values. */
final class ThriftPayloads {

  private ThriftPayloads() {}

  static ThriftUser user(long id) {
    return toThrift(Payloads.user(id));
  }

  static ThriftUserPage page(int pageNo) {
    Page<User> page = Payloads.page(pageNo);
    List<ThriftUser> users = new ArrayList<>(page.getResult().size());
    for (User u : page.getResult()) {
      users.add(toThrift(u));
    }
    return new ThriftUserPage(page.getPageNo(), page.getTotal(), users);
  }

  static ThriftUser toThrift(User u) {
    return new ThriftUser(u.getId(), u.getName(), u.getSex(), u.getBirthday().toEpochDay(), u.getEmail(),
        u.getMobile(), u.getAddress(), u.getIcon(), new ArrayList<>(u.getPermissions()), u.getStatus(),
        u.getCreateTime().toInstant(ZoneOffset.UTC).toEpochMilli(),
        u.getUpdateTime().toInstant(ZoneOffset.UTC).toEpochMilli());
  }
}
