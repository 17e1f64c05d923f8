// The benchmark's UserService for Apache Thrift, with exactly the fields of io.courier.bench.model.User and Page.
// The Java code generated from it is committed in ../../generated/java; ../../../regenerate.sh makes it again.
namespace java io.courier.bench.system.thrift.gen

struct ThriftUser {
  1: i64 id,
  2: string name,
  3: i32 sex,
  // LocalDate as days since 1970-01-01
  4: i64 birthdayEpochDay,
  5: string email,
  6: string mobile,
  7: string address,
  8: string icon,
  9: list<i32> permissions,
  10: i32 status,
  // LocalDateTime (UTC) as milliseconds since the epoch
  11: i64 createTimeMillis,
  12: i64 updateTimeMillis
}

struct ThriftUserPage {
  1: i32 pageNo,
  2: i32 total,
  3: list<ThriftUser> result
}

service ThriftUserService {
  bool existUser(1: string email),
  bool createUser(1: ThriftUser user),
  ThriftUser getUser(1: i64 id),
  ThriftUserPage listUser(1: i32 pageNo),
  binary echo(1: binary data)
}
