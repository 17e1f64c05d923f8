package io.courier.bench.model;

import io.courier.bench.driver.AsyncOperation;
import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import io.courier.bench.model.proto.UserMessage;
import io.courier.bench.model.proto.UserPageMessage;
import java.util.concurrent.CompletableFuture;

/**
 * The calls each workload makes, written once for every client that presents itself as a {@link UserService}
 * or a {@link ProtoUserService} (Courier and Dubbo stubs, the Spring REST client, adapters over grpc-java and
 * Dubbo triple stubs), so that every system is called with the same arguments and checked the same way.
 */
public final class UserServiceCalls {

  /** {@code listUser} cycles through this many pages. */
  private static final int PAGES = Payloads.TOTAL_USERS / Payloads.PAGE_SIZE;

  private UserServiceCalls() {}

  public static Operation of(UserService users, Workload workload) {
    return switch (workload) {
      case EXIST_USER -> seq -> check(users.existUser(Payloads.EMAIL), workload);
      case CREATE_USER -> {
        User user = Payloads.user(42);
        yield seq -> check(users.createUser(user), workload);
      }
      case GET_USER -> seq -> {
        User u = users.getUser(seq);
        check(u != null && u.getId() == seq && u.getPermissions().size() == 15, workload);
      };
      case LIST_USER -> seq -> {
        Page<User> page = users.listUser((int) (seq % PAGES));
        check(page != null && page.getResult().size() == Payloads.PAGE_SIZE
            && page.getResult().get(0).getAddress() != null, workload);
      };
      case ECHO -> {
        byte[] data = Payloads.echoBytes();
        yield seq -> {
          byte[] back = users.echo(data);
          check(back != null && back.length == data.length, workload);
        };
      }
    };
  }

  public static Operation of(ProtoUserService users, Workload workload) {
    return switch (workload) {
      case EXIST_USER -> seq -> check(users.existUser(Payloads.EMAIL), workload);
      case CREATE_USER -> {
        UserMessage user = Payloads.userMessage(42);
        yield seq -> check(users.createUser(user), workload);
      }
      case GET_USER -> seq -> {
        UserMessage u = users.getUser(seq);
        check(u != null && u.getId() == seq && u.getPermissionsCount() == 15, workload);
      };
      case LIST_USER -> seq -> {
        UserPageMessage page = users.listUser((int) (seq % PAGES));
        check(page != null && page.getResultCount() == Payloads.PAGE_SIZE, workload);
      };
      case ECHO -> {
        byte[] data = Payloads.echoBytes();
        yield seq -> {
          byte[] back = users.echo(data);
          check(back != null && back.length == data.length, workload);
        };
      }
    };
  }

  /**
   * The calls of {@code workload} through an asynchronous view of the service: the same arguments and the same
   * checks, applied when the answer arrives (a wrong answer completes the stage exceptionally).
   */
  public static AsyncOperation ofAsync(UserServiceAsync users, Workload workload) {
    return switch (workload) {
      case EXIST_USER -> seq -> users.existUser(Payloads.EMAIL).thenApply(ok -> checked(ok, workload));
      case CREATE_USER -> {
        User user = Payloads.user(42);
        yield seq -> users.createUser(user).thenApply(ok -> checked(ok, workload));
      }
      case GET_USER -> seq -> users.getUser(seq).thenApply(u -> checked(u != null && u.getId() == seq
          && u.getPermissions().size() == 15, workload));
      case LIST_USER -> seq -> users.listUser((int) (seq % PAGES)).thenApply(page -> checked(page != null
          && page.getResult().size() == Payloads.PAGE_SIZE && page.getResult().get(0).getAddress() != null,
          workload));
      case ECHO -> {
        byte[] data = Payloads.echoBytes();
        yield seq -> users.echo(data).thenApply(back -> checked(back != null && back.length == data.length,
            workload));
      }
    };
  }

  /** {@link #ofAsync(UserServiceAsync, Workload)} for the protobuf view. */
  public static AsyncOperation ofAsync(ProtoUserServiceAsync users, Workload workload) {
    return switch (workload) {
      case EXIST_USER -> seq -> users.existUser(Payloads.EMAIL).thenApply(ok -> checked(ok, workload));
      case CREATE_USER -> {
        UserMessage user = Payloads.userMessage(42);
        yield seq -> users.createUser(user).thenApply(ok -> checked(ok, workload));
      }
      case GET_USER -> seq -> users.getUser(seq).thenApply(u -> checked(u != null && u.getId() == seq
          && u.getPermissionsCount() == 15, workload));
      case LIST_USER -> seq -> users.listUser((int) (seq % PAGES)).thenApply(page -> checked(page != null
          && page.getResultCount() == Payloads.PAGE_SIZE, workload));
      case ECHO -> {
        byte[] data = Payloads.echoBytes();
        yield seq -> users.echo(data).thenApply(back -> checked(back != null && back.length == data.length,
            workload));
      }
    };
  }

  /**
   * An asynchronous operation over a blocking {@link UserService} whose calls complete at once (the direct call, and
   * clients whose futures are made in the call): the call runs on the scheduler's thread.
   */
  public static AsyncOperation inline(Operation operation) {
    return seq -> {
      try {
        operation.call(seq);
        return CompletableFuture.completedFuture(Boolean.TRUE);
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    };
  }

  private static Boolean checked(Boolean ok, Workload workload) {
    check(Boolean.TRUE.equals(ok), workload);
    return Boolean.TRUE;
  }

  private static void check(boolean ok, Workload workload) {
    if (!ok) {
      throw new IllegalStateException(workload.id() + " returned a wrong answer");
    }
  }
}
