package io.courier.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServiceDescriptorTest {

  @RpcService(name = "acme.Users", version = "2", group = "eu")
  interface Users {
    String name(long id);

    CompletableFuture<List<String>> names(Map<String, Integer> filter);

    CompletionStage<Void> touch();

    @OneWay
    void log(String line);

    @Idempotent
    @Timeout(value = 3, unit = TimeUnit.SECONDS)
    int count();

    @RpcMethod(name = "Rename")
    void rename(long id, String name);

    default String greeting() {
      return "hi";
    }

    void listAll(String filter, StreamObserver<String> names);

    StreamObserver<String> chat(StreamObserver<String> replies);

    @RpcMethod(clientStreaming = true)
    StreamObserver<String> upload(StreamObserver<Integer> total);
  }

  interface Unannotated {
    void ping();
  }

  interface Generic<T> {
    T get();
  }

  interface GenericMethod {
    <T> T get(Class<T> type);
  }

  interface Wildcard {
    List<?> all();
  }

  interface Overloaded {
    void put(String s);

    void put(int i);
  }

  interface PlainFuture {
    Future<String> get();
  }

  interface RawFuture {
    @SuppressWarnings("rawtypes")
    CompletableFuture get();
  }

  interface OneWayWithResult {
    @OneWay
    String fire();
  }

  interface BadTimeout {
    @Timeout(0)
    void run();
  }

  interface BadStream {
    void both(StreamObserver<String> a, StreamObserver<String> b);
  }

  @Test
  void parsesNamesKindsAndAnnotations() {
    ServiceDescriptor users = ServiceDescriptor.of(Users.class);
    assertThat(users.name()).isEqualTo("acme.Users");
    assertThat(users.version()).isEqualTo("2");
    assertThat(users.group()).isEqualTo("eu");
    assertThat(users.methods()).extracting(MethodDescriptor::name)
        .containsExactly("chat", "count", "listAll", "log", "name", "names", "Rename", "touch", "upload");
    assertThat(users.method("greeting")).isNull();

    MethodDescriptor names = users.method("names");
    assertThat(names.isAsync()).isTrue();
    assertThat(names.responseType().getTypeName()).isEqualTo("java.util.List<java.lang.String>");
    assertThat(names.fullName()).isEqualTo("acme.Users/names");
    assertThat(users.method("touch").responseType()).isEqualTo(Void.class);
    assertThat(users.method("log").isOneWay()).isTrue();
    assertThat(users.method("count").isIdempotent()).isTrue();
    assertThat(users.method("count").timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(users.method("Rename").requestTypes()).containsExactly(long.class, String.class);

    assertThat(users.method("listAll").kind()).isEqualTo(MethodKind.SERVER_STREAMING);
    assertThat(users.method("listAll").requestTypes()).containsExactly(String.class);
    assertThat(users.method("chat").kind()).isEqualTo(MethodKind.BIDI_STREAMING);
    assertThat(users.method("upload").kind()).isEqualTo(MethodKind.CLIENT_STREAMING);
    assertThat(users.method("upload").responseType()).isEqualTo(Integer.class);
    assertThat(ServiceDescriptor.of(Users.class)).isSameAs(users);
  }

  @Test
  void defaultsTheNameToTheInterface() {
    assertThat(ServiceDescriptor.of(Unannotated.class).name()).isEqualTo(Unannotated.class.getName());
  }

  @Test
  void rejectsUnusableInterfacesNamingTheMethod() {
    assertThatThrownBy(() -> ServiceDescriptor.of(String.class))
        .hasMessageContaining("java.lang.String is not an interface");
    assertThatThrownBy(() -> ServiceDescriptor.of(Generic.class)).hasMessageContaining("declares type parameters");
    assertThatThrownBy(() -> ServiceDescriptor.of(GenericMethod.class))
        .hasMessageContaining("GenericMethod.get(Class)").hasMessageContaining("type parameters");
    assertThatThrownBy(() -> ServiceDescriptor.of(Wildcard.class))
        .hasMessageContaining("Wildcard.all()").hasMessageContaining("java.util.List<?>");
    assertThatThrownBy(() -> ServiceDescriptor.of(Overloaded.class))
        .hasMessageContaining("both have the wire name 'put'").hasMessageContaining("@RpcMethod");
    assertThatThrownBy(() -> ServiceDescriptor.of(PlainFuture.class))
        .hasMessageContaining("PlainFuture.get()").hasMessageContaining("CompletableFuture<T>");
    assertThatThrownBy(() -> ServiceDescriptor.of(RawFuture.class)).hasMessageContaining("raw CompletableFuture");
    assertThatThrownBy(() -> ServiceDescriptor.of(OneWayWithResult.class))
        .hasMessageContaining("is @OneWay but returns java.lang.String");
    assertThatThrownBy(() -> ServiceDescriptor.of(BadTimeout.class)).hasMessageContaining("@Timeout(0)");
    assertThatThrownBy(() -> ServiceDescriptor.of(BadStream.class)).hasMessageContaining("unsupported shape");
  }

  @Test
  void aGenericDescriptorHasANameAndMethodsMadePerNameAndArgumentCount() {
    ServiceDescriptor users = ServiceDescriptor.generic("acme.Users");
    assertThat(users.isGeneric()).isTrue();
    assertThat(users.name()).isEqualTo("acme.Users");
    assertThat(users.type()).isNull();
    assertThat(users.version()).isEmpty();
    assertThat(users.group()).isEmpty();
    assertThat(users.methods()).isEmpty();
    assertThat(ServiceDescriptor.of(Users.class).isGeneric()).isFalse();

    MethodDescriptor get = users.genericMethod("getUser", 2);
    assertThat(get.isGeneric()).isTrue();
    assertThat(get.method()).isNull();
    assertThat(get.service()).isSameAs(users);
    assertThat(get.fullName()).isEqualTo("acme.Users/getUser");
    assertThat(get.kind()).isEqualTo(MethodKind.UNARY);
    assertThat(get.requestTypes()).containsExactly(Object.class, Object.class);
    assertThat(get.responseType()).isEqualTo(Object.class);
    assertThat(get.isAsync()).isFalse();
    assertThat(get.isOneWay()).isFalse();
    assertThat(get.isIdempotent()).isFalse();
    assertThat(get.timeout()).isNull();
    assertThat(users.genericMethod("getUser", 2)).as("kept").isSameAs(get);
    assertThat(users.genericMethod("getUser", 0).requestTypes()).isEmpty();
    assertThat(users.genericMethod("getUser", 1)).isNotSameAs(get);
    assertThat(ServiceDescriptor.of(Users.class).method("name").isGeneric()).isFalse();
  }

  @Test
  void aGenericDescriptorRefusesUnusableNames() {
    for (String bad : new String[] {"", " ", "a/b", "a b", "tab\tname", "nul\u0000"}) {
      assertThatThrownBy(() -> ServiceDescriptor.generic(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service: '")
          .hasMessageContaining("without '/', whitespace or control characters");
    }
    assertThatThrownBy(() -> ServiceDescriptor.generic(null)).isInstanceOf(IllegalArgumentException.class);
    ServiceDescriptor users = ServiceDescriptor.generic("acme.Users");
    assertThatThrownBy(() -> users.genericMethod("get/User", 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("method: 'get/User'");
    assertThatThrownBy(() -> users.genericMethod("getUser", -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("arity: -1 (expected: >= 0)");
    assertThatThrownBy(() -> ServiceDescriptor.of(Users.class).genericMethod("name", 1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a generic service descriptor");
  }

  @Test
  void aGenericDescriptorKeepsABoundedNumberOfMethods() {
    ServiceDescriptor users = ServiceDescriptor.generic("acme.Users");
    for (int i = 0; i < ServiceDescriptor.MAX_GENERIC_METHODS; i++) {
      users.genericMethod("m" + i, 0);
    }
    assertThat(users.genericMethod("m0", 0)).as("a kept one is still found").isNotNull();
    assertThatThrownBy(() -> users.genericMethod("oneMore", 0)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("have named " + ServiceDescriptor.MAX_GENERIC_METHODS + " distinct methods");
  }
}
