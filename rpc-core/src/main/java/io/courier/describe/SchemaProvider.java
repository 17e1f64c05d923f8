package io.courier.describe;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Describes the Java types a module knows better than {@link JsonSchemas}' own rules, as JSON Schema: the protobuf
 * serializer's provider describes generated messages and enums from their {@code Descriptor}, so that
 * {@code rpc-core} does not depend on protobuf. Found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/io.courier.describe.SchemaProvider} entry) and asked before the built-in rules, in the
 * order the loader finds them; the first that answers wins.
 *
 * <pre>{@code
 * public final class MoneySchemaProvider implements SchemaProvider {
 *   public Map<String, Object> schema(Type type, Context context) {
 *     return type == Money.class ? Map.of("type", "string", "pattern", "^[A-Z]{3} -?[0-9]+(\\.[0-9]+)?$") : null;
 *   }
 * }
 * }</pre>
 *
 * <p>A schema is a tree of {@code Map<String, Object>} (insertion-ordered), {@code List}, {@code String},
 * {@code Number}, {@code Boolean} and {@code null} (see {@link JsonText}). Implementations must be stateless.
 */
public interface SchemaProvider {

  /**
   * The schema of {@code type} as it travels in JSON, or {@code null} if this provider does not describe it.
   *
   * @param context where the schemas of other types and shared definitions ({@code $defs}) come from
   */
  Map<String, Object> schema(Type type, Context context);

  /** What a provider may ask of the schema being built. */
  interface Context {

    /** The schema of another Java type: a {@code $ref} for objects, inline for plain values. */
    Map<String, Object> schema(Type type);

    /**
     * A {@code {"$ref": "#/$defs/<name>"}} to the definition of the type {@code key} stands for, defined once per
     * document: the first time, {@code define} fills the new (empty) definition; a definition under construction is
     * already referable, so recursive types end. Names are made unique: a second key wanting the same name gets
     * {@code name_2}.
     *
     * @param key what identifies the type (a {@code Class}, a protobuf descriptor's full name, ...)
     * @param name the preferred name in {@code $defs}: letters, digits, {@code _ . -}
     */
    Map<String, Object> ref(Object key, String name, Consumer<Map<String, Object>> define);
  }
}
