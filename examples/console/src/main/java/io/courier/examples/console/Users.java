package io.courier.examples.console;

import io.courier.common.RpcService;
import io.courier.rest.PathParam;
import io.courier.rest.RestRoute;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * A user directory, the console demo's main service: a record, a list, a set of an enum and {@code java.time} values
 * in its signatures, so the console has schemas worth reading. Version {@code 1.0}: the console's try-it form calls
 * the providers of that version.
 */
@RpcService(name = "demo.Users", version = "1.0")
public interface Users {

  /** One user; an unknown id is {@code NOT_FOUND}. Over REST: {@code GET /users/{id}}. */
  @RestRoute(method = "GET", path = "/users/{id}")
  User get(@PathParam("id") long id);

  /** The users with any of these roles (every user for an empty set), by id. */
  List<User> list(Set<Role> roles);

  /** Adds a user and answers it with its new id and creation time. */
  User add(NewUser user);

  /** What a caller may do. */
  enum Role { ADMIN, ENGINEER, GUEST }

  /** A user as the directory keeps it. */
  record User(long id, String name, Role role, LocalDate birthday, List<String> tags, Instant created) {}

  /** A user to add: no id and no creation time yet. */
  record NewUser(String name, Role role, LocalDate birthday, List<String> tags) {}
}
