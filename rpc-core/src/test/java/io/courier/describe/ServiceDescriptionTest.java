package io.courier.describe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.common.Idempotent;
import io.courier.common.MethodKind;
import io.courier.common.OneWay;
import io.courier.common.RpcMethod;
import io.courier.common.RpcService;
import io.courier.common.ServiceDescriptor;
import io.courier.common.StreamObserver;
import io.courier.common.Timeout;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceDescriptionTest {

  record User(long id, String name, List<String> tags) {}

  @RpcService(name = "test.Users", version = "2.1", group = "blue")
  interface Users {
    @Idempotent
    @Timeout(250)
    User get(long id);

    CompletableFuture<List<User>> find(String prefix, int limit);

    @OneWay
    void touch(long id);

    void watch(String prefix, StreamObserver<User> updates);

    @RpcMethod(clientStreaming = true)
    StreamObserver<User> upload(StreamObserver<Integer> count);

    StreamObserver<String> chat(StreamObserver<String> replies);
  }

  @RpcService
  interface Plain {
    String echo(String text);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @Test
  void namesVersionGroupAndEveryMethodWithItsKind() {
    ServiceDescription d = ServiceDescription.of(ServiceDescriptor.of(Users.class));
    assertThat(d.name()).isEqualTo("test.Users");
    assertThat(d.version()).isEqualTo("2.1");
    assertThat(d.group()).isEqualTo("blue");
    assertThat(d.methods()).extracting(ServiceDescription.Method::name)
        .containsExactly("chat", "find", "get", "touch", "upload", "watch");
    assertThat(d.method("get").kind()).isEqualTo(MethodKind.UNARY);
    assertThat(d.method("touch").kind()).isEqualTo(MethodKind.UNARY);
    assertThat(d.method("touch").oneWay()).isTrue();
    assertThat(d.method("get").oneWay()).isFalse();
    assertThat(d.method("watch").kind()).isEqualTo(MethodKind.SERVER_STREAMING);
    assertThat(d.method("upload").kind()).isEqualTo(MethodKind.CLIENT_STREAMING);
    assertThat(d.method("chat").kind()).isEqualTo(MethodKind.BIDI_STREAMING);
    assertThat(d.method("get").idempotent()).isTrue();
    assertThat(d.method("get").timeout()).hasMillis(250);
    ServiceDescription plain = ServiceDescription.of(ServiceDescriptor.of(Plain.class));
    assertThat(plain.name()).isEqualTo(Plain.class.getName());
    assertThat(plain.version()).isEmpty();
    assertThat(plain.group()).isEmpty();
  }

  @Test
  void argumentsAreNamedAndTypedAndTheResultUnwrapsFuturesAndStreams() {
    ServiceDescription d = ServiceDescription.of(ServiceDescriptor.of(Users.class));
    ServiceDescription.Method find = d.method("find");
    assertThat(find.arguments()).extracting(ServiceDescription.Argument::name).containsExactly("prefix", "limit");
    assertThat(find.arguments().get(0).schema()).containsEntry("type", "string");
    assertThat(find.arguments().get(1).schema()).containsEntry("format", "int32");
    assertThat(find.result()).containsEntry("type", "array").containsEntry("items", Map.of("$ref", "#/$defs/User"));
    assertThat(find.exampleArguments()).containsExactly("string", 0);
    assertThat(d.method("get").exampleArguments()).containsExactly(0);
    assertThat(d.method("get").result()).containsEntry("$ref", "#/$defs/User");
    assertThat(d.method("touch").result()).containsEntry("type", "null");
    // server streaming: the request parameter, the element of the response stream
    assertThat(d.method("watch").arguments()).extracting(ServiceDescription.Argument::name).containsExactly("prefix");
    assertThat(d.method("watch").result()).containsEntry("$ref", "#/$defs/User");
    // client streaming: each request message, and the one response
    assertThat(d.method("upload").arguments()).extracting(ServiceDescription.Argument::name)
        .containsExactly("requests");
    assertThat(d.method("upload").arguments().get(0).schema()).containsEntry("$ref", "#/$defs/User");
    assertThat(d.method("upload").result()).containsEntry("format", "int32");
  }

  @Test
  void withoutParameterNamesArgumentsAreNamedByPosition(@TempDir Path dir) throws Exception {
    Path source = dir.resolve("demo/Positional.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "package demo;\n@io.courier.common.RpcService(name = \"demo.Positional\")\n"
        + "public interface Positional { String join(String left, int times); }\n");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int exit = javac.run(null, null, null, "-classpath", System.getProperty("java.class.path"), "-d",
        dir.toString(), source.toString()); // no -parameters
    assertThat(exit).isZero();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      ServiceDescription d = ServiceDescription.of(ServiceDescriptor.of(loader.loadClass("demo.Positional")));
      assertThat(d.method("join").arguments()).extracting(ServiceDescription.Argument::name)
          .containsExactly("arg0", "arg1");
    }
  }

  @Test
  void restRoutesComeFromTheCallerAndAreChecked() {
    ServiceDescription d = ServiceDescription.of(ServiceDescriptor.of(Users.class),
        m -> m.kind() == MethodKind.UNARY ? (m.name().equals("get") ? "GET /users/{id}" : "POST /test.Users/"
            + m.name()) : null);
    assertThat(d.method("get").restRoute()).isEqualTo("GET /users/{id}");
    assertThat(d.method("find").restRoute()).isEqualTo("POST /test.Users/find");
    assertThat(d.method("watch").restRoute()).isNull();
    assertThat(map(d.method("get").toJson().get("rest"))).isEqualTo(Map.of("method", "GET", "path", "/users/{id}"));
    assertThat(d.method("watch").toJson()).doesNotContainKey("rest");
    assertThatThrownBy(() -> ServiceDescription.of(ServiceDescriptor.of(Plain.class), m -> "users"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("REST route of " + Plain.class.getName() + "/echo: 'users' (expected:");
  }

  @Test
  void jsonTreeOfAServiceAndOfSeveral() {
    ServiceDescription d = ServiceDescription.of(ServiceDescriptor.of(Users.class));
    Map<String, Object> json = d.toJson();
    assertThat(json.keySet()).containsExactly("name", "version", "group", "methods");
    Map<String, Object> get = map(((List<?>) json.get("methods")).get(2));
    assertThat(get).containsEntry("name", "get").containsEntry("kind", "UNARY").containsEntry("oneWay", false)
        .containsEntry("idempotent", true).containsEntry("timeoutMillis", 250L);
    assertThat(get.get("arguments")).isEqualTo(List.of(Map.of("name", "id", "schema",
        d.method("get").arguments().get(0).schema())));
    Map<String, Object> all = ServiceDescription.toJson(List.of(d));
    assertThat((List<?>) all.get("services")).hasSize(1);
    String text = JsonText.write(all);
    assertThat(text).startsWith("{\"services\":[{\"name\":\"test.Users\",\"version\":\"2.1\",\"group\":\"blue\"");
  }

  @Test
  void aGenericDescriptorIsRefused() {
    assertThatThrownBy(() -> ServiceDescription.of(ServiceDescriptor.generic("x.Y")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x.Y is a generic service descriptor");
  }
}
