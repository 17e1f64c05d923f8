package io.courier.bench.model;

import io.courier.bench.model.proto.UserMessage;
import io.courier.bench.model.proto.UserPageMessage;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload objects of the workload, identical for every system: one factory for the beans and their protobuf
 * twins, so that a protobuf system carries exactly the same field values as a bean-based one.
 */
public final class Payloads {

  /** Users on one page of {@code listUser}. */
  public static final int PAGE_SIZE = 15;
  /** The {@code total} that {@code listUser} reports. */
  public static final int TOTAL_USERS = 1000;
  /** The size of the bulk-transfer payload: 1 MiB. */
  public static final int ECHO_BYTES = 1024 * 1024;

  /** The argument of {@code existUser}. */
  public static final String EMAIL = "courier.user@example.com";

  private static final String NAME = "Courier Benchmark User";
  private static final String MOBILE = "+86 138 0013 8000";
  /** Non-ASCII on purpose: multi-byte UTF-8 is part of the workload. */
  private static final String ADDRESS = "北京市朝阳区建国路 88 号 — Résidence Zürich, 3e étage";
  private static final String ICON = "https://images.example.com/avatars/courier/2f6a9c1e-user-icon.png";
  private static final LocalDate BIRTHDAY = LocalDate.of(1990, 5, 17);
  private static final LocalDateTime CREATED = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6_000_000);
  private static final LocalDateTime UPDATED = LocalDateTime.of(2025, 6, 7, 8, 9, 10, 11_000_000);
  private static final List<Integer> PERMISSIONS =
      List.of(1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987);

  private static final byte[] ECHO = new byte[ECHO_BYTES];

  static {
    for (int i = 0; i < ECHO.length; i++) {
      ECHO[i] = (byte) (i * 31 + 7);
    }
  }

  private Payloads() {}

  /** A fresh user with this id. */
  public static User user(long id) {
    User user = new User();
    user.setId(id);
    user.setName(NAME);
    user.setSex(1);
    user.setBirthday(BIRTHDAY);
    user.setEmail(EMAIL);
    user.setMobile(MOBILE);
    user.setAddress(ADDRESS);
    user.setIcon(ICON);
    user.setPermissions(new ArrayList<>(PERMISSIONS));
    user.setStatus(1);
    user.setCreateTime(CREATED);
    user.setUpdateTime(UPDATED);
    return user;
  }

  /** A fresh page: {@value #PAGE_SIZE} users, total {@value #TOTAL_USERS}. */
  public static Page<User> page(int pageNo) {
    List<User> users = new ArrayList<>(PAGE_SIZE);
    long first = (long) pageNo * PAGE_SIZE;
    for (int i = 0; i < PAGE_SIZE; i++) {
      users.add(user(first + i));
    }
    Page<User> page = new Page<>();
    page.setPageNo(pageNo);
    page.setTotal(TOTAL_USERS);
    page.setResult(users);
    return page;
  }

  /** The shared 1 MiB bulk payload; callers must not modify it. */
  public static byte[] echoBytes() {
    return ECHO;
  }

  /** The protobuf twin of {@link #user(long)}. */
  public static UserMessage userMessage(long id) {
    return toMessage(user(id));
  }

  /** The protobuf twin of {@link #page(int)}. */
  public static UserPageMessage pageMessage(int pageNo) {
    Page<User> page = page(pageNo);
    UserPageMessage.Builder b = UserPageMessage.newBuilder().setPageNo(page.getPageNo()).setTotal(page.getTotal());
    for (User u : page.getResult()) {
      b.addResult(toMessage(u));
    }
    return b.build();
  }

  /** The same field values as a protobuf message. */
  public static UserMessage toMessage(User u) {
    return UserMessage.newBuilder()
        .setId(u.getId())
        .setName(u.getName())
        .setSex(u.getSex())
        .setBirthdayEpochDay(u.getBirthday().toEpochDay())
        .setEmail(u.getEmail())
        .setMobile(u.getMobile())
        .setAddress(u.getAddress())
        .setIcon(u.getIcon())
        .addAllPermissions(u.getPermissions())
        .setStatus(u.getStatus())
        .setCreateTimeMillis(u.getCreateTime().toInstant(ZoneOffset.UTC).toEpochMilli())
        .setUpdateTimeMillis(u.getUpdateTime().toInstant(ZoneOffset.UTC).toEpochMilli())
        .build();
  }
}
