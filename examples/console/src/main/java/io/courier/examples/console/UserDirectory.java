package io.courier.examples.console;

import io.courier.common.Status;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** {@link Users} in memory, with three users to begin with. Thread-safe: a concurrent map and an atomic id. */
final class UserDirectory implements Users {

  private final Map<Long, User> users = new ConcurrentSkipListMap<>();
  private final AtomicLong lastId = new AtomicLong();

  UserDirectory() {
    add(new NewUser("Ada Lovelace", Role.ADMIN, LocalDate.of(1815, 12, 10), List.of("analytical-engine", "notes")));
    add(new NewUser("Grace Hopper", Role.ENGINEER, LocalDate.of(1906, 12, 9), List.of("cobol", "compilers")));
    add(new NewUser("Alan Turing", Role.GUEST, LocalDate.of(1912, 6, 23), List.of("computability")));
  }

  @Override
  public User get(long id) {
    User user = users.get(id);
    if (user == null) {
      throw Status.NOT_FOUND.withDescription("no user " + id + " (ids 1 to " + lastId.get() + " exist)")
          .asException();
    }
    return user;
  }

  @Override
  public List<User> list(Set<Role> roles) {
    List<User> found = new ArrayList<>();
    for (User user : users.values()) {
      if (roles == null || roles.isEmpty() || roles.contains(user.role())) {
        found.add(user);
      }
    }
    return found;
  }

  @Override
  public User add(NewUser user) {
    if (user == null || user.name() == null || user.name().isBlank()) {
      throw Status.INVALID_ARGUMENT.withDescription("user.name: missing (expected: a name)").asException();
    }
    long id = lastId.incrementAndGet();
    User added = new User(id, user.name(), user.role() == null ? Role.GUEST : user.role(), user.birthday(),
        user.tags() == null ? List.of() : List.copyOf(user.tags()), Instant.now());
    users.put(id, added);
    return added;
  }
}
