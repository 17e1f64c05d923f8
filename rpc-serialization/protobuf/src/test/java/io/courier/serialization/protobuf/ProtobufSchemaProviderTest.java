package io.courier.serialization.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.Int64Value;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.courier.describe.JsonSchemas;
import io.courier.describe.JsonText;
import io.courier.serialization.protobuf.testing.Node;
import io.courier.serialization.protobuf.testing.Order;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtobufSchemaProviderTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private static Map<String, Object> def(Map<String, Object> document, String name) {
    return map(map(document.get("$defs")).get(name));
  }

  @Test
  void isFoundOnTheClassPath() {
    assertThat(JsonSchemas.providers()).hasAtLeastOneElementOfType(ProtobufSchemaProvider.class);
  }

  @Test
  void aMessageIsItsFieldsByJsonNameWithNestedMessagesEnumsRepeatedMapsAndOneofs() {
    Map<String, Object> schema = JsonSchemas.of(Order.class);
    assertThat(schema).containsEntry("$ref", "#/$defs/courier.test.Order");
    assertThat(map(schema.get("$defs")).keySet()).containsExactly("courier.test.Order", "courier.test.Order.Line",
        "courier.test.Node");
    Map<String, Object> order = def(schema, "courier.test.Order");
    assertThat(order).containsEntry("type", "object").containsEntry("title", "Order");
    Map<String, Object> p = map(order.get("properties"));
    assertThat(p.keySet()).containsExactly("orderId", "state", "lines", "linesBySku", "cardToken", "voucher",
        "note", "placedAt");
    assertThat(map(p.get("orderId"))).containsEntry("type", List.of("integer", "string"))
        .containsEntry("format", "int64");
    assertThat(map(p.get("state"))).containsEntry("type", "string")
        .containsEntry("enum", List.of("STATE_UNSPECIFIED", "OPEN", "SHIPPED"));
    assertThat(p.get("lines")).isEqualTo(Map.of("type", "array", "items",
        Map.of("$ref", "#/$defs/courier.test.Order.Line")));
    assertThat(p.get("linesBySku")).isEqualTo(Map.of("type", "object", "additionalProperties",
        Map.of("$ref", "#/$defs/courier.test.Order.Line")));
    assertThat(p.get("cardToken")).isEqualTo(Map.of("type", "string", JsonSchemas.ONE_OF_GROUP, "payment"));
    assertThat(p.get("voucher")).isEqualTo(Map.of("type", "string", "contentEncoding", "base64",
        JsonSchemas.ONE_OF_GROUP, "payment"));
    assertThat(p.get("placedAt")).isEqualTo(Map.of("type", "string", "format", "date-time"));
    // at most one member of the oneof: one alone, or none
    assertThat(order.get("allOf")).isEqualTo(List.of(Map.of("oneOf", List.of(
        Map.of("required", List.of("cardToken")), Map.of("required", List.of("voucher")),
        Map.of("not", Map.of("anyOf", List.of(Map.of("required", List.of("cardToken")),
            Map.of("required", List.of("voucher")))))))));
    Map<String, Object> line = map(def(schema, "courier.test.Order.Line").get("properties"));
    assertThat(map(line.get("quantity"))).containsEntry("format", "uint32").containsEntry("minimum", 0);
  }

  @Test
  void aRecursiveMessageRefersToItself() {
    Map<String, Object> schema = JsonSchemas.of(Node.class);
    Map<String, Object> p = map(def(schema, "courier.test.Node").get("properties"));
    assertThat(p.get("child")).isEqualTo(Map.of("$ref", "#/$defs/courier.test.Node"));
    assertThat(JsonSchemas.example(schema)).isEqualTo(Map.of("label", "string"));
  }

  @Test
  void theExampleSetsOneMemberOfEachOneofAndProtobufsJsonParserReadsIt() throws Exception {
    Object example = JsonSchemas.example(JsonSchemas.of(Order.class));
    Map<String, Object> value = map(example);
    assertThat(value).containsKey("cardToken").doesNotContainKey("voucher");
    assertThat(value.get("note")).isEqualTo(Map.of("label", "string"));
    assertThat(value.get("lines")).isEqualTo(List.of(Map.of("sku", "string", "quantity", 0)));
    Order.Builder order = Order.newBuilder();
    JsonFormat.parser().merge(JsonText.write(example), order);
    assertThat(order.getCardToken()).isEqualTo("string");
    assertThat(order.getLinesBySkuMap()).containsKey("key");
  }

  @Test
  void enumsAndWellKnownTypes() {
    assertThat(JsonSchemas.of(Order.State.class)).containsEntry("enum",
        List.of("STATE_UNSPECIFIED", "OPEN", "SHIPPED"));
    assertThat(JsonSchemas.of(Timestamp.class)).containsEntry("format", "date-time");
    assertThat(JsonSchemas.of(Int64Value.class)).containsEntry("format", "int64");
    assertThat(JsonSchemas.of(Duration.class)).containsEntry("examples", List.of("1.5s"));
    assertThat(JsonSchemas.of(Struct.class)).containsEntry("type", "object");
    assertThat(JsonSchemas.of(Value.class)).isEqualTo(Map.of("$schema", JsonSchemas.DIALECT));
    assertThat(JsonSchemas.of(Any.class)).containsEntry("required", List.of("@type"));
  }
}
