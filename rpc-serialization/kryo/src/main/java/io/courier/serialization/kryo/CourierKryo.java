package io.courier.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import io.courier.serialization.ReadBudget;
import io.courier.serialization.SerializationException;
import io.courier.serialization.TypeAllowlist;
import java.util.IdentityHashMap;
import java.util.Map;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * A Kryo that reads only allowlisted classes, never sizes an allocation from an unchecked length, and keeps to
 * the {@link ReadBudget} of the read in progress.
 *
 * <p>Invariants: every class this Kryo reads passes {@link #checkAllowed} first: classes named on the wire in
 * {@link AllowlistClassResolver} (by name, before loading) and again in {@link #readClass}; declared and field
 * types in the {@code readObject} overrides. Every object read through {@code readObject},
 * {@code readObjectOrNull} or {@code readClassAndObject} is charged to {@link #budget()}, and the collection,
 * map and array serializers of {@link JdkSerializers} charge their element counts. Used by one thread at a time
 * (it lives in a pool).
 */
final class CourierKryo extends Kryo {

  private final TypeAllowlist allowlist;
  /** Classes already accepted; the allowlist only grows, so an acceptance never expires. */
  private final Map<Class<?>, Boolean> accepted = new IdentityHashMap<>();
  /** The budget of the read in progress; {@link KryoSerializer#read} resets it. */
  private final ReadBudget budget = new ReadBudget("kryo");

  CourierKryo(TypeAllowlist allowlist, ClassLoader classLoader) {
    super(new AllowlistClassResolver(allowlist), null);
    this.allowlist = allowlist;
    setClassLoader(classLoader);
    // Unregistered classes are written by name; AllowlistClassResolver checks every name it reads.
    setRegistrationRequired(false);
    setReferences(false);
    setMaxDepth(KryoSerializer.MAX_DEPTH);
    setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    JdkRegistrations.registerAll(this);
  }

  /** Substitutes the stock collection, map and array serializers with ones that check lengths first. */
  @Override
  @SuppressWarnings("rawtypes")
  public Serializer getDefaultSerializer(Class type) {
    Serializer serializer = super.getDefaultSerializer(type);
    Class<?> chosen = serializer.getClass();
    if (chosen == CollectionSerializer.class) {
      return JdkSerializers.isHashedClass(type) ? new JdkSerializers.HashedCollectionSerializer<>()
          : new JdkSerializers.CheckedCollectionSerializer<>();
    } else if (chosen == MapSerializer.class) {
      return new JdkSerializers.CheckedMapSerializer<>();
    } else if (chosen == ObjectArraySerializer.class) {
      return new JdkSerializers.CheckedObjectArraySerializer(this, type);
    } else if (chosen == StringArraySerializer.class) {
      return new JdkSerializers.CheckedStringArraySerializer();
    }
    return serializer;
  }

  @Override
  public Registration readClass(Input input) {
    Registration registration = super.readClass(input);
    if (registration != null) {
      checkAllowed(registration.getType());
    }
    return registration;
  }

  @Override
  public <T> T readObject(Input input, Class<T> type) {
    checkAllowed(type);
    budget.charge(1);
    return super.readObject(input, type);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public <T> T readObject(Input input, Class<T> type, Serializer serializer) {
    checkAllowed(type);
    budget.charge(1);
    return super.readObject(input, type, serializer);
  }

  @Override
  public <T> T readObjectOrNull(Input input, Class<T> type) {
    checkAllowed(type);
    budget.charge(1);
    return super.readObjectOrNull(input, type);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public <T> T readObjectOrNull(Input input, Class<T> type, Serializer serializer) {
    checkAllowed(type);
    budget.charge(1);
    return super.readObjectOrNull(input, type, serializer);
  }

  @Override
  public Object readClassAndObject(Input input) {
    budget.charge(1);
    return super.readClassAndObject(input);
  }

  ReadBudget budget() {
    return budget;
  }

  void checkAllowed(Class<?> type) {
    if (type == null || accepted.containsKey(type)) {
      return;
    }
    if (!allowlist.isAllowed(type)) {
      throw AllowlistClassResolver.notAllowed(type.getName());
    }
    accepted.put(type, Boolean.TRUE);
  }

  static SerializationException notAllowed(String className) {
    return AllowlistClassResolver.notAllowed(className);
  }
}
