package io.courier.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.URISerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.UUIDSerializer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Currency;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The JDK classes every Courier Kryo registers with a fixed id, so that they travel as one or two bytes
 * instead of a class name. Both ends build the same table from this code.
 *
 * <p>Invariant: the table is append-only. Changing the position of an entry changes the wire format.
 * Every class in it is accepted by {@code TypeAllowlist.withDefaults()}.
 */
final class JdkRegistrations {

  /** Ids 0..8 are Kryo's own (primitives and String); ours start here. */
  static final int FIRST_ID = 16;

  private JdkRegistrations() {}

  record Entry(Class<?> type, Supplier<Serializer<?>> serializer) {}

  /** In wire order. A null serializer means Kryo's default serializer for the class. */
  static final List<Entry> TABLE = List.of(
      entry(byte[].class), entry(int[].class), entry(long[].class), entry(double[].class),
      entry(float[].class), entry(short[].class), entry(char[].class), entry(boolean[].class),
      entry(String[].class), entry(Object[].class),
      entry(BigInteger.class), entry(BigDecimal.class), entry(UUID.class, UUIDSerializer::new),
      entry(URI.class, URISerializer::new), entry(Date.class), entry(Locale.class), entry(Currency.class),
      entry(BitSet.class), entry(Optional.class), entry(OptionalInt.class), entry(OptionalLong.class),
      entry(OptionalDouble.class),
      entry(ArrayList.class), entry(LinkedList.class), entry(ArrayDeque.class), entry(HashMap.class),
      entry(LinkedHashMap.class), entry(TreeMap.class), entry(HashSet.class), entry(LinkedHashSet.class),
      entry(TreeSet.class), entry(ConcurrentHashMap.class), entry(CopyOnWriteArrayList.class),
      entry(EnumSet.class),
      entry(Arrays.asList().getClass(), JdkSerializers::arraysAsList),
      entry(Collections.emptyList().getClass()), entry(Collections.emptySet().getClass()),
      entry(Collections.emptyMap().getClass()), entry(Collections.singletonList(1).getClass()),
      entry(Collections.singleton(1).getClass()), entry(Collections.singletonMap(1, 1).getClass()),
      entry(Collections.unmodifiableCollection(new ArrayList<>()).getClass(), JdkSerializers::unmodifiableCollection),
      entry(Collections.unmodifiableList(new LinkedList<>()).getClass(), JdkSerializers::unmodifiableList),
      entry(Collections.unmodifiableList(new ArrayList<>()).getClass(), JdkSerializers::unmodifiableList),
      entry(Collections.unmodifiableSet(new HashSet<>()).getClass(), JdkSerializers::unmodifiableSet),
      entry(Collections.unmodifiableSortedSet(new TreeSet<>()).getClass(), JdkSerializers::unmodifiableSortedSet),
      entry(Collections.unmodifiableMap(new HashMap<>()).getClass(), JdkSerializers::unmodifiableMap),
      entry(Collections.unmodifiableSortedMap(new TreeMap<>()).getClass(), JdkSerializers::unmodifiableSortedMap),
      entry(List.of().getClass(), JdkSerializers::immutableList),
      entry(List.of(1).getClass(), JdkSerializers::immutableList),
      entry(List.of(1, 2, 3).subList(0, 1).getClass(), JdkSerializers::immutableList),
      entry(Set.of().getClass(), JdkSerializers::immutableSet),
      entry(Set.of(1).getClass(), JdkSerializers::immutableSet),
      entry(Map.of().getClass(), JdkSerializers::immutableMap),
      entry(Map.of(1, 1).getClass(), JdkSerializers::immutableMap),
      entry(Instant.class), entry(Duration.class), entry(Period.class), entry(LocalDate.class),
      entry(LocalTime.class), entry(LocalDateTime.class), entry(OffsetDateTime.class), entry(OffsetTime.class),
      entry(ZonedDateTime.class), entry(ZoneOffset.class), entry(ZoneId.of("Europe/Paris").getClass()),
      entry(Year.class), entry(YearMonth.class), entry(MonthDay.class), entry(DayOfWeek.class),
      entry(Month.class));

  static void registerAll(Kryo kryo) {
    int id = FIRST_ID;
    for (Entry entry : TABLE) {
      if (entry.serializer() == null) {
        kryo.register(entry.type(), id++);
      } else {
        kryo.register(entry.type(), entry.serializer().get(), id++);
      }
    }
  }

  private static Entry entry(Class<?> type) {
    return new Entry(type, null);
  }

  private static Entry entry(Class<?> type, Supplier<Serializer<?>> serializer) {
    return new Entry(type, serializer);
  }
}
