package io.courier.describe;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {

  enum Color { RED, GREEN }

  record Scalars(int i, Integer boxed, long l, Long boxedLong, short s, byte b, double d, Float f, boolean flag,
      Boolean boxedFlag, char c, String text, BigDecimal amount) {}

  record Collections(List<String> names, Set<Integer> ids, Map<String, Double> scores, int[] numbers,
      String[][] grid, byte[] blob, Map<Color, String> byColor, Optional<String> nickname) {}

  record Times(Instant at, OffsetDateTime offset, ZonedDateTime zoned, LocalDate day, LocalDateTime local,
      Duration took, UUID id) {}

  /** A recursive record: a tree of nodes. */
  record TreeNode(String label, List<TreeNode> children, TreeNode parent) {}

  /** A POJO as the json serializer sees it: fields whatever their access, then public getters. */
  static class Base {
    protected long id;
    private static int ignoredStatic;
  }

  static class Account extends Base {
    private String owner;
    private transient String ignoredTransient;
    private Color color;

    public String getDisplayName() {
      return owner;
    }

    public boolean isActive() {
      return true;
    }
  }

  /** A generic POJO: its type variable resolved where it is used. */
  static class Page<T> {
    List<T> items;
    int total;
  }

  record Holder(Page<Account> accounts, Page<String> names) {}

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private static Map<String, Object> def(Map<String, Object> document, String name) {
    return map(map(document.get("$defs")).get(name));
  }

  private static Map<String, Object> properties(Map<String, Object> document, String name) {
    return map(def(document, name).get("properties"));
  }

  @Test
  void documentNamesTheDialectAndRefersToItsDefinitions() {
    Map<String, Object> schema = JsonSchemas.of(Scalars.class);
    assertThat(schema.get("$schema")).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.get("$ref")).isEqualTo("#/$defs/Scalars");
    assertThat(def(schema, "Scalars")).containsEntry("type", "object").containsEntry("title", "Scalars");
  }

  @Test
  void numbersStringsAndBooleans() {
    Map<String, Object> p = properties(JsonSchemas.of(Scalars.class), "Scalars");
    assertThat(p.keySet()).containsExactly("i", "boxed", "l", "boxedLong", "s", "b", "d", "f", "flag", "boxedFlag",
        "c", "text", "amount");
    assertThat(map(p.get("i"))).containsEntry("type", "integer").containsEntry("format", "int32")
        .containsEntry("minimum", Integer.MIN_VALUE).containsEntry("maximum", Integer.MAX_VALUE);
    assertThat(p.get("boxed")).isEqualTo(p.get("i"));
    assertThat(map(p.get("l"))).containsEntry("type", "integer").containsEntry("format", "int64")
        .containsEntry("maximum", Long.MAX_VALUE);
    assertThat(p.get("boxedLong")).isEqualTo(p.get("l"));
    assertThat(map(p.get("s"))).containsEntry("minimum", -32768).containsEntry("maximum", 32767);
    assertThat(map(p.get("b"))).containsEntry("minimum", -128).containsEntry("maximum", 127);
    assertThat(map(p.get("d"))).containsEntry("type", "number").containsEntry("format", "double");
    assertThat(map(p.get("f"))).containsEntry("type", "number").containsEntry("format", "float");
    assertThat(p.get("flag")).isEqualTo(Map.of("type", "boolean"));
    assertThat(p.get("boxedFlag")).isEqualTo(Map.of("type", "boolean"));
    assertThat(map(p.get("c"))).containsEntry("type", "string").containsEntry("maxLength", 1);
    assertThat(p.get("text")).isEqualTo(Map.of("type", "string"));
    assertThat(p.get("amount")).isEqualTo(Map.of("type", "number"));
  }

  @Test
  void arraysCollectionsMapsAndOptional() {
    Map<String, Object> p = properties(JsonSchemas.of(Collections.class), "Collections");
    assertThat(p.get("names")).isEqualTo(Map.of("type", "array", "items", Map.of("type", "string")));
    assertThat(map(p.get("ids"))).containsEntry("type", "array").containsEntry("uniqueItems", true);
    assertThat(map(map(p.get("ids")).get("items"))).containsEntry("type", "integer");
    assertThat(map(p.get("scores"))).containsEntry("type", "object").doesNotContainKey("propertyNames");
    assertThat(map(map(p.get("scores")).get("additionalProperties"))).containsEntry("type", "number");
    assertThat(map(map(p.get("numbers")).get("items"))).containsEntry("format", "int32");
    assertThat(map(map(map(p.get("grid")).get("items")).get("items"))).containsEntry("type", "string");
    assertThat(p.get("blob")).isEqualTo(Map.of("type", "string", "contentEncoding", "base64"));
    assertThat(map(p.get("byColor")).get("propertyNames")).isEqualTo(Map.of("enum", List.of("RED", "GREEN")));
    assertThat(p.get("nickname")).isEqualTo(Map.of("type", "string"));
  }

  @Test
  void enumsAreTheirConstantNames() {
    Map<String, Object> schema = JsonSchemas.of(Color.class);
    assertThat(schema).containsEntry("type", "string").containsEntry("enum", List.of("RED", "GREEN"))
        .doesNotContainKey("$defs");
  }

  @Test
  void javaTimeAndUuidAreFormattedStrings() {
    Map<String, Object> p = properties(JsonSchemas.of(Times.class), "Times");
    assertThat(p.get("at")).isEqualTo(Map.of("type", "string", "format", "date-time"));
    assertThat(p.get("offset")).isEqualTo(Map.of("type", "string", "format", "date-time"));
    assertThat(p.get("zoned")).isEqualTo(Map.of("type", "string", "format", "date-time"));
    assertThat(p.get("day")).isEqualTo(Map.of("type", "string", "format", "date"));
    assertThat(map(p.get("local"))).containsEntry("type", "string").containsKey("pattern")
        .containsEntry("examples", List.of("2024-01-02T03:04:05"));
    assertThat(p.get("took")).isEqualTo(Map.of("type", "string", "format", "duration"));
    assertThat(p.get("id")).isEqualTo(Map.of("type", "string", "format", "uuid"));
  }

  record OtherTypes(Date date, OffsetTime time, Period period, BigInteger big, URI uri, YearMonth month,
      LocalTime clock, Map<Integer, String> byNumber, Runnable task, Number number) {}

  @Test
  void otherJdkTypesAndInterfaces() {
    Map<String, Object> p = properties(JsonSchemas.of(OtherTypes.class), "OtherTypes");
    assertThat(p.get("date")).isEqualTo(Map.of("type", "string", "format", "date-time"));
    assertThat(p.get("time")).isEqualTo(Map.of("type", "string", "format", "time"));
    assertThat(p.get("period")).isEqualTo(Map.of("type", "string", "format", "duration"));
    assertThat(p.get("big")).isEqualTo(Map.of("type", "integer"));
    assertThat(p.get("uri")).isEqualTo(Map.of("type", "string", "format", "uri"));
    assertThat(map(p.get("month"))).containsEntry("examples", List.of("2024-01")).containsKey("pattern");
    assertThat(map(p.get("clock"))).containsEntry("examples", List.of("03:04:05")).containsKey("pattern");
    assertThat(map(p.get("byNumber")).get("propertyNames")).isEqualTo(Map.of("pattern", "^-?[0-9]+$"));
    assertThat(map(p.get("task"))).containsEntry("type", "object").containsKey("description");
    assertThat(p.get("number")).isEqualTo(Map.of("type", "number"));
    assertThat(JsonSchemas.of(AbstractBase.class)).containsEntry("type", "object")
        .containsEntry("description", "an implementation of " + AbstractBase.class.getName()
            + " (the json serializer reads only concrete classes)");
  }

  /** Each level holds a deeper parameterization: a new definition every time. */
  static class Growing<T> {
    T value;
    Growing<List<T>> deeper;
  }

  @Test
  void parameterizationsThatGrowWithoutEndStop() {
    Map<String, Object> schema = JsonSchemas.of(Growing.class);
    assertThat(map(schema.get("$defs"))).hasSize(64);
    assertThat(JsonText.write(schema)).contains("nested more than 64 definitions deep: not described");
  }

  abstract static class AbstractBase {
    int x;
  }

  @Test
  void recursiveTypesReferToTheirDefinitionInsteadOfLooping() {
    Map<String, Object> schema = JsonSchemas.of(TreeNode.class);
    assertThat(map(schema.get("$defs")).keySet()).containsExactly("TreeNode");
    Map<String, Object> p = properties(schema, "TreeNode");
    assertThat(p.get("children")).isEqualTo(Map.of("type", "array", "items", Map.of("$ref", "#/$defs/TreeNode")));
    assertThat(p.get("parent")).isEqualTo(Map.of("$ref", "#/$defs/TreeNode"));
    // the example stops where the type recurs: no parent, an empty list of children
    assertThat(JsonSchemas.example(schema)).isEqualTo(Map.of("label", "string", "children", List.of()));
    assertThat(JsonText.write(schema)).contains("\"$ref\":\"#/$defs/TreeNode\"");
  }

  @Test
  void pojosAreTheirFieldsWhateverTheirAccessAndTheirPublicGetters() {
    Map<String, Object> p = properties(JsonSchemas.of(Account.class), "Account");
    assertThat(p.keySet()).containsExactly("id", "owner", "color", "displayName", "active");
    assertThat(map(p.get("id"))).containsEntry("format", "int64");
    assertThat(map(p.get("color"))).containsEntry("enum", List.of("RED", "GREEN"));
    assertThat(p.get("active")).isEqualTo(Map.of("type", "boolean"));
  }

  @Test
  void typeVariablesAreResolvedAndEachParameterizationIsItsOwnDefinition() {
    Map<String, Object> schema = JsonSchemas.of(Holder.class);
    assertThat(map(schema.get("$defs")).keySet()).containsExactly("Holder", "Page_Account", "Account",
        "Page_String");
    assertThat(properties(schema, "Page_Account").get("items"))
        .isEqualTo(Map.of("type", "array", "items", Map.of("$ref", "#/$defs/Account")));
    assertThat(properties(schema, "Page_String").get("items"))
        .isEqualTo(Map.of("type", "array", "items", Map.of("type", "string")));
  }

  @Test
  void topLevelCollectionsKeepTheirDefinitions() throws Exception {
    Type listOfNodes = JsonSchemasTest.class.getDeclaredMethod("nodes").getGenericReturnType();
    Map<String, Object> schema = JsonSchemas.of(listOfNodes);
    assertThat(schema).containsEntry("type", "array").containsEntry("items", Map.of("$ref", "#/$defs/TreeNode"));
    assertThat(map(schema.get("$defs"))).containsKey("TreeNode");
  }

  static List<TreeNode> nodes() {
    return List.of();
  }

  @Test
  void objectIsAnyValueAndVoidIsNull() {
    assertThat(JsonSchemas.of(Object.class)).isEqualTo(Map.of("$schema", JsonSchemas.DIALECT));
    assertThat(JsonSchemas.of(Void.class)).containsEntry("type", "null");
  }

  @Test
  void examplesFollowTheSchema() {
    assertThat(JsonSchemas.example(JsonSchemas.of(Times.class))).isEqualTo(Map.of("at", "2024-01-02T03:04:05Z",
        "offset", "2024-01-02T03:04:05Z", "zoned", "2024-01-02T03:04:05Z", "day", "2024-01-02",
        "local", "2024-01-02T03:04:05", "took", "PT1S", "id", "3fa85f64-5717-4562-b3fc-2c963f66afa6"));
    Map<String, Object> collections = map(JsonSchemas.example(JsonSchemas.of(Collections.class)));
    assertThat(collections).containsEntry("names", List.of("string")).containsEntry("scores", Map.of("key", 0.0))
        .containsEntry("byColor", Map.of("RED", "string")).containsEntry("blob", "")
        .containsEntry("numbers", List.of(0)).containsEntry("nickname", "string");
    assertThat(JsonSchemas.example(JsonSchemas.of(Color.class))).isEqualTo("RED");
    assertThat(JsonSchemas.example(JsonSchemas.of(int.class))).isEqualTo(0);
    assertThat(JsonSchemas.example(JsonSchemas.of(Object.class))).isNull();
  }

  @Test
  void aProviderIsAskedFirst() {
    SchemaProvider money = (type, context) -> type == BigDecimal.class ? Map.of("type", "string") : null;
    assertThat(JsonSchemas.of(BigDecimal.class, List.of(money))).containsEntry("type", "string");
    SchemaProvider defining = (type, context) -> type == Color.class
        ? context.ref("color", "Colour", d -> d.put("enum", List.of("red"))) : null;
    Map<String, Object> schema = JsonSchemas.of(Account.class, List.of(defining));
    assertThat(properties(schema, "Account").get("color")).isEqualTo(Map.of("$ref", "#/$defs/Colour"));
    assertThat(def(schema, "Colour")).isEqualTo(Map.of("enum", List.of("red")));
  }
}
