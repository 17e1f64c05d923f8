package io.courier.bench.model;

/**
 * {@link UserService} doing no real work: answers are built from constants, as in the Dubbo benchmark, so that
 * the benchmark measures the framework and not the service.
 */
public final class NoOpUserService implements UserService {

  @Override
  public boolean existUser(String email) {
    return email != null && !email.isEmpty();
  }

  @Override
  public boolean createUser(User user) {
    return user != null;
  }

  @Override
  public User getUser(long id) {
    return Payloads.user(id);
  }

  @Override
  public Page<User> listUser(int pageNo) {
    return Payloads.page(pageNo);
  }

  @Override
  public byte[] echo(byte[] data) {
    return data;
  }
}
