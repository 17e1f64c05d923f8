package io.courier.bench.system.spring;

import io.courier.bench.model.Page;
import io.courier.bench.model.User;
import io.courier.bench.model.UserService;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link UserService} over REST routes with the JDK's {@link HttpClient} (HTTP/1.1, its built-in keep-alive connection
 * pool) and Jackson 3: the client {@code spring-rest} had before it was given Spring's own ({@code spring-rest-jdk}),
 * and the client of {@code cross-jdk-to-courier}, which calls Courier's REST binding on the same routes. Its cost is
 * a large part of a REST call's client CPU, so the rows that use it are read against each other, not against a
 * {@code RestClient} row.
 */
final class RestUserServiceClient implements UserService, AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final TypeReference<Page<User>> PAGE_OF_USERS = new TypeReference<>() {};

  private final HttpClient http;
  private final JsonMapper json = JsonMapper.builder().build();
  private final String base;

  RestUserServiceClient(String hostAndPort) {
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    this.base = "http://" + hostAndPort;
  }

  @Override
  public boolean existUser(String email) {
    return json.readValue(get("/users/exists?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)),
        Boolean.class);
  }

  @Override
  public boolean createUser(User user) {
    return json.readValue(post("/users", "application/json", json.writeValueAsBytes(user)), Boolean.class);
  }

  @Override
  public User getUser(long id) {
    return json.readValue(get("/users/" + id), User.class);
  }

  @Override
  public Page<User> listUser(int pageNo) {
    return json.readValue(get("/users?pageNo=" + pageNo), PAGE_OF_USERS);
  }

  @Override
  public byte[] echo(byte[] data) {
    return post("/echo", "application/octet-stream", data);
  }

  private byte[] get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).GET()
        .header("Accept", "application/json").build());
  }

  private byte[] post(String path, String contentType, byte[] body) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
        .header("Content-Type", contentType).header("Accept", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  private byte[] send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
            + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    // HttpClient owns no resource that needs closing on JDK 17; its threads are daemons
  }
}
