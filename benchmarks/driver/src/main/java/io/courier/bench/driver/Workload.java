package io.courier.bench.driver;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The operations of the benchmark, by the names published figures use. */
public enum Workload {
  /** {@code boolean existUser(String email)}: tiny request, tiny response. */
  EXIST_USER("existUser"),
  /** {@code boolean createUser(User user)}: object-sized request. */
  CREATE_USER("createUser"),
  /** {@code User getUser(long id)}: object-sized response. */
  GET_USER("getUser"),
  /** {@code Page<User> listUser(int pageNo)}: 15 users per response. */
  LIST_USER("listUser"),
  /** {@code byte[] echo(byte[] data)} with 1 MiB each way: bulk transfer. */
  ECHO("echo");

  private final String id;

  Workload(String id) {
    this.id = id;
  }

  /** The published name, for example {@code "getUser"}. */
  public String id() {
    return id;
  }

  /** @throws IllegalArgumentException naming the known workloads */
  public static Workload of(String id) {
    for (Workload w : values()) {
      if (w.id.equals(id)) {
        return w;
      }
    }
    throw new IllegalArgumentException("workload: " + id + " (expected one of: "
        + Arrays.stream(values()).map(Workload::id).collect(Collectors.joining(", ")) + ")");
  }
}
