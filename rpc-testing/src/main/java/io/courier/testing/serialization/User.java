package io.courier.testing.serialization;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A mutable model class: no-arg constructor, private fields, getters and setters. */
public class User {
  private long id;
  private String name;
  private int sex;
  private LocalDate birthday;
  private String email;
  private String mobile;
  private String address;
  private String icon;
  private List<Integer> permissions;
  private int status;
  private LocalDateTime createTime;
  private LocalDateTime updateTime;

  public User() {}

  /** A fully populated user, with a non-ASCII address. */
  public static User sample(long id) {
    User user = new User();
    user.id = id;
    user.name = "Zhang San " + id;
    user.sex = 1;
    user.birthday = LocalDate.of(1984, 12, 24);
    user.email = "zhang" + id + "@example.com";
    user.mobile = "18612345678";
    user.address = "北京市海淀区中关村大街 " + id + "号 — Ünïcødé ✓ 🚀";
    user.icon = "https://example.com/icons/" + id + ".png";
    user.permissions = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 15, 16, 17, 18, 19, 20));
    user.status = 1;
    user.createTime = LocalDateTime.of(2024, 3, 1, 9, 30, 15, 123_000_000);
    user.updateTime = user.createTime.plusDays(7);
    return user;
  }

  public long getId() {
    return id;
  }

  public void setId(long id) {
    this.id = id;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public int getSex() {
    return sex;
  }

  public void setSex(int sex) {
    this.sex = sex;
  }

  public LocalDate getBirthday() {
    return birthday;
  }

  public void setBirthday(LocalDate birthday) {
    this.birthday = birthday;
  }

  public String getEmail() {
    return email;
  }

  public void setEmail(String email) {
    this.email = email;
  }

  public String getMobile() {
    return mobile;
  }

  public void setMobile(String mobile) {
    this.mobile = mobile;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getIcon() {
    return icon;
  }

  public void setIcon(String icon) {
    this.icon = icon;
  }

  public List<Integer> getPermissions() {
    return permissions;
  }

  public void setPermissions(List<Integer> permissions) {
    this.permissions = permissions;
  }

  public int getStatus() {
    return status;
  }

  public void setStatus(int status) {
    this.status = status;
  }

  public LocalDateTime getCreateTime() {
    return createTime;
  }

  public void setCreateTime(LocalDateTime createTime) {
    this.createTime = createTime;
  }

  public LocalDateTime getUpdateTime() {
    return updateTime;
  }

  public void setUpdateTime(LocalDateTime updateTime) {
    this.updateTime = updateTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof User u && id == u.id && sex == u.sex && status == u.status && Objects.equals(name, u.name)
        && Objects.equals(birthday, u.birthday) && Objects.equals(email, u.email)
        && Objects.equals(mobile, u.mobile) && Objects.equals(address, u.address) && Objects.equals(icon, u.icon)
        && Objects.equals(permissions, u.permissions) && Objects.equals(createTime, u.createTime)
        && Objects.equals(updateTime, u.updateTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, email);
  }

  @Override
  public String toString() {
    return "User{id=" + id + ", name=" + name + "}";
  }
}
