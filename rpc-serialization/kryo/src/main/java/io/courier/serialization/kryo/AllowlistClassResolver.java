package io.courier.serialization.kryo;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.IntMap;
import com.esotericsoftware.kryo.util.ObjectMap;
import io.courier.serialization.SerializationException;
import io.courier.serialization.TypeAllowlist;

/**
 * Resolves class names read from the wire, checking each name against the {@link TypeAllowlist} before the
 * class is loaded. Loading uses {@code initialize = false}, so not even a static initializer of a refused
 * class runs.
 */
final class AllowlistClassResolver extends DefaultClassResolver {

  private final TypeAllowlist allowlist;

  AllowlistClassResolver(TypeAllowlist allowlist) {
    this.allowlist = allowlist;
  }

  /**
   * Writes an enum constant with a body (an anonymous subclass) under its enum's name, the name the
   * allowlist knows; Kryo's enum serializer restores the constant itself.
   */
  @Override
  @SuppressWarnings("rawtypes")
  protected void writeName(Output output, Class type, Registration registration) {
    Class<?> named = type;
    if (!type.isEnum() && Enum.class.isAssignableFrom(type) && registration.getType().isEnum()) {
      named = registration.getType();
    }
    super.writeName(output, named, registration);
  }

  @Override
  protected Registration readName(Input input) {
    int nameId = input.readVarInt(true);
    if (nameIdToClass == null) {
      nameIdToClass = new IntMap<>();
    }
    Class<?> type = nameIdToClass.get(nameId);
    if (type == null) {
      String className = input.readString();
      if (className == null || className.isEmpty()) {
        throw new SerializationException("kryo input names an empty class");
      }
      type = getTypeByName(className); // only names that passed the allowlist are cached
      if (type == null) {
        if (!allowlist.isAllowed(className)) {
          throw notAllowed(className);
        }
        type = load(className);
        if (nameToClass == null) {
          nameToClass = new ObjectMap<>();
        }
        nameToClass.put(className, type);
      }
      nameIdToClass.put(nameId, type);
    }
    return kryo.getRegistration(type);
  }

  private Class<?> load(String className) {
    try {
      return Class.forName(className, false, kryo.getClassLoader());
    } catch (ClassNotFoundException e) {
      try {
        return Class.forName(className, false, AllowlistClassResolver.class.getClassLoader());
      } catch (ClassNotFoundException ignored) {
        throw new SerializationException("kryo input names class " + className
            + ", which is not on this side's class path", e);
      }
    } catch (LinkageError e) {
      throw new SerializationException("kryo input names class " + className + ", which cannot be loaded", e);
    }
  }

  static SerializationException notAllowed(String className) {
    return new SerializationException("class " + className
        + " is not allowed; add it with TypeAllowlist.allowClass(...) or allowPackage(...)");
  }
}
