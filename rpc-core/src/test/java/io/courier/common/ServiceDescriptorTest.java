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
}
