package io.courier.transport.rest;

import io.courier.common.OneWay;
import io.courier.common.RpcService;
import io.courier.common.Status;
import io.courier.common.StatusCode;
import io.courier.rest.PathParam;
import io.courier.rest.QueryParam;
import io.courier.rest.RestRoute;
import io.courier.server.ServerContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The REST tests' service: resource routes with path and query parameters, default routes, every failure. */
@RpcService(name = "demo.Users")
public interface UserResource {

  @RestRoute(method = "GET", path = "/users/{id}")
  User get(@PathParam("id") long id);

  @RestRoute(method = "GET", path = "/users/me")
  User me();

  @RestRoute(method = "GET", path = "/users")
  List<User> list(@QueryParam("page") int page, @QueryParam("tag") List<String> tags,
      @QueryParam("since") LocalDate since);

  @RestRoute(method = "POST", path = "/users")
  User create(User user);

  @RestRoute(method = "PUT", path = "/users/{id}")
  User update(@PathParam("id") long id, User user);

  @RestRoute(method = "DELETE", path = "/users/{id}")
  void delete(@PathParam("id") long id);

  @RestRoute(method = "GET", path = "/files/{name}")
  String file(@PathParam("name") String name);

  @RestRoute(method = "GET", path = "/kinds/{kind}")
  String kind(@PathParam("kind") Kind kind, @QueryParam("flag") Boolean flag);

  /** Default route, one array parameter: the body is the array itself. */
  int sum(int[] values);

  /** Default route, two parameters: the body is a JSON array of both. */
  String greet(String first, String last);

  /** Default route, no parameter: no body. */
  long ping();

  /** Throws the status named by {@code code} with {@code message}. */
  String fail(String code, String message);

  /** Throws an application exception. */
  String refuse(String message) throws NoSuchUserException;

  /** Blocks up to {@code millis}, returning early if cancelled. */
  String slow(long millis);

  /** The request headers the server saw, and a response header. */
  Map<String, String> headers();

  @OneWay
  void notify(String event);

  enum Kind { ADMIN, GUEST }

  record User(long id, String name, LocalDate birthday, List<String> tags) {}

  /** A checked application exception. */
  class NoSuchUserException extends Exception {
    private static final long serialVersionUID = 1L;

    public NoSuchUserException(String message) {
      super(message);
    }
  }

  /** The implementation. */
  final class Impl implements UserResource {
    final List<ServerContext> sleepers = new CopyOnWriteArrayList<>();
    final List<String> notified = new CopyOnWriteArrayList<>();
    final Map<Long, User> deleted = new ConcurrentHashMap<>();
    volatile CountDownLatch wake = new CountDownLatch(1);

    @Override
    public User get(long id) {
      if (id == 404) {
        throw Status.NOT_FOUND.withDescription("no user " + id).asException();
      }
      return new User(id, "user-" + id, LocalDate.of(1990, 1, 2), List.of("a", "b"));
    }

    @Override
    public User me() {
      return new User(0, "me", null, List.of());
    }

    @Override
    public List<User> list(int page, List<String> tags, LocalDate since) {
      List<User> users = new ArrayList<>();
      users.add(new User(page, "page-" + page, since, tags));
      return users;
    }

    @Override
    public User create(User user) {
      return new User(99, user.name(), user.birthday(), user.tags());
    }

    @Override
    public User update(long id, User user) {
      return new User(id, user.name(), user.birthday(), user.tags());
    }

    @Override
    public void delete(long id) {
      deleted.put(id, new User(id, "gone", null, null));
    }

    @Override
    public String file(String name) {
      return "file:" + name;
    }

    @Override
    public String kind(Kind kind, Boolean flag) {
      return kind + "/" + flag;
    }

    @Override
    public int sum(int[] values) {
      int s = 0;
      for (int v : values) {
        s += v;
      }
      return s;
    }

    @Override
    public String greet(String first, String last) {
      return "Hello, " + first + " " + last + "!";
    }

    @Override
    public long ping() {
      return 42;
    }

    @Override
    public String fail(String code, String message) {
      throw Status.of(StatusCode.valueOf(code)).withDescription(message).asException();
    }

    @Override
    public String refuse(String message) throws NoSuchUserException {
      throw new NoSuchUserException(message);
    }

    @Override
    public String slow(long millis) {
      ServerContext context = ServerContext.current();
      sleepers.add(context);
      try {
        CountDownLatch latch = wake;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
          if (context.isCancelled()) {
            return "cancelled";
          }
          if (latch.await(5, TimeUnit.MILLISECONDS)) {
            return "woken";
          }
        }
        return "done";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }

    @Override
    public Map<String, String> headers() {
      ServerContext context = ServerContext.current();
      Map<String, String> seen = new java.util.TreeMap<>();
      for (String key : context.headers().keys()) {
        if (!key.endsWith("-bin")) {
          seen.put(key, context.headers().get(io.courier.common.Metadata.Key.of(key)));
        }
      }
      context.addResponseHeader(io.courier.common.Metadata.Key.of("x-served-by"), "courier");
      return seen;
    }

    @Override
    public void notify(String event) {
      notified.add(event);
    }
  }
}
