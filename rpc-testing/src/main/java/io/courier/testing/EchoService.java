package io.courier.testing;

import io.courier.common.OneWay;
import io.courier.common.RpcService;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The plain-Java test service every transport test calls, covering each kind of value and failure. */
@RpcService(name = "courier.testing.EchoService")
public interface EchoService {

  String echo(String message);

  CompletableFuture<String> echoAsync(String message);

  int add(int a, int b);

  List<Integer> reverse(List<Integer> numbers);

  Map<String, Long> count(List<String> words);

  Parcel roundTrip(Parcel parcel);

  byte[] bytes(byte[] payload);

  /** Throws {@link TestException} with {@code message}. */
  void fail(String message) throws TestException;

  /** Throws {@link IllegalStateException} with {@code message}. */
  String failUnchecked(String message);

  /** Blocks up to {@code millis}, returning early if the call is cancelled; returns "cancelled" or "done". */
  String sleep(long millis);

  @OneWay
  void fireAndForget(String message);

  /** The value of request header {@code key}, or null. */
  String header(String key);

  /** A value with records, enums, dates, lists, maps and nulls. */
  record Parcel(long id, String label, Kind kind, LocalDate day, List<String> tags, Map<String, Integer> counts,
      String nothing) {}

  /** An enum carried inside {@link Parcel}. */
  enum Kind { SMALL, LARGE }

  /** A checked application exception declared by {@link #fail}. */
  class TestException extends Exception {
    private static final long serialVersionUID = 1L;

    public TestException(String message) {
      super(message);
    }
  }

  /** For asking for a service the server does not export. */
  @RpcService(name = "courier.testing.Missing")
  interface Missing {
    String anything();
  }

  /** The same service name with a method the server does not have. */
  @RpcService(name = "courier.testing.EchoService")
  interface WithExtraMethod {
    String notThere();
  }
}
