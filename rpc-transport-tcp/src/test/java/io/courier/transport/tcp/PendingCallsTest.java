package io.courier.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.collection.LongObjectHashMap;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/**
 * The client's table of pending calls. Request ids are sequential; the table must not lay them out as one run of
 * adjacent slots in Netty's linear-probing map, where each remove walks the whole run (the cause of the TCP client's
 * collapse under an open-loop overload: 10,000 calls in flight, every answer a 10,000-step remove).
 */
class PendingCallsTest {

  private static final int IN_FLIGHT = 10_000;

  @Test
  void putRemoveAndSizeByIdIncludingTheEdgesOfLong() {
    TcpConnection.PendingCalls<String> calls = new TcpConnection.PendingCalls<>();
    long[] ids = {0, 1, 2, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, (1L << 32) + 1};
    for (long id : ids) {
      calls.put(id, "call " + id);
    }
    assertThat(calls.size()).isEqualTo(ids.length);
    for (long id : ids) {
      assertThat(calls.remove(id)).isEqualTo("call " + id);
      assertThat(calls.remove(id)).isNull();
    }
    assertThat(calls.isEmpty()).isTrue();
  }

  @Test
  void snapshotHoldsEveryPendingCall() {
    TcpConnection.PendingCalls<Long> calls = new TcpConnection.PendingCalls<>();
    for (long id = 1; id <= 100; id++) {
      calls.put(id, id);
    }
    calls.remove(50);
    assertThat(calls.snapshot()).hasSize(99).doesNotContain(50L).contains(1L, 49L, 51L, 100L);
  }

  @Test
  void sequentialIdsDoNotFormOneLongRunOfSlots() throws Exception {
    TcpConnection.PendingCalls<Object> calls = new TcpConnection.PendingCalls<>();
    long first = 123_456_789L; // a connection that has made many calls already
    for (long id = first; id < first + IN_FLIGHT; id++) {
      calls.put(id, Boolean.TRUE);
    }
    Field map = TcpConnection.PendingCalls.class.getDeclaredField("calls");
    map.setAccessible(true);
    int longest = longestRun((LongObjectHashMap<?>) map.get(calls));
    // the table holds 10,000 of 32,768 slots; scattered keys give runs of tens of slots, not thousands
    assertThat(longest).isLessThan(200);
  }

  @Test
  void rawSequentialKeysWouldFormOneRun() throws Exception {
    // the measurement above can see the defect it guards against: the same ids as raw keys fill one run
    LongObjectHashMap<Object> raw = new LongObjectHashMap<>();
    for (long id = 1; id <= IN_FLIGHT; id++) {
      raw.put(id, Boolean.TRUE);
    }
    assertThat(longestRun(raw)).isGreaterThanOrEqualTo(IN_FLIGHT);
  }

  /** The longest run of occupied slots in Netty's open-addressing table (what a remove may have to walk). */
  private static int longestRun(LongObjectHashMap<?> map) throws Exception {
    Field valuesField = LongObjectHashMap.class.getDeclaredField("values");
    valuesField.setAccessible(true);
    Object[] values = (Object[]) valuesField.get(map);
    int longest = 0;
    int run = 0;
    for (int i = 0; i < 2 * values.length; i++) { // twice round: a run may wrap past the end
      if (values[i % values.length] != null) {
        run++;
        longest = Math.max(longest, Math.min(run, values.length));
      } else {
        run = 0;
      }
    }
    return longest;
  }
}
