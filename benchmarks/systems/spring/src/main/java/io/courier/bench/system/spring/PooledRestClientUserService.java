package io.courier.bench.system.spring;

import io.courier.bench.model.Page;
import io.courier.bench.model.User;
import io.courier.bench.model.UserService;
import java.io.IOException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * {@link UserService} over the Spring application's REST routes the way Spring documents a service client: Spring's
 * {@link RestClient} (Spring Framework reference, "REST Clients", section "RestClient", and its "Client Request
 * Factories": {@code HttpComponentsClientHttpRequestFactory} for Apache HttpComponents {@code HttpClient}) on a
 * pooled Apache HttpClient 5, with the JSON converter {@code RestClient.builder()} picks (Jackson 3).
 *
 * <p>The one setting beyond the defaults: the pool is sized to the load's concurrency. HttpClient 5's
 * {@code PoolingHttpClientConnectionManager} allows 5 connections per route and 25 in all by default (its javadoc), so
 * at 16 or 64 concurrent calls most would queue for a connection; a service client is sized to its callers with
 * {@code setMaxConnPerRoute}/{@code setMaxConnTotal}. Keep-alive connections are reused (the server's
 * {@code max-keep-alive-requests} is lifted, see {@link SpringRestSystem}).
 */
final class PooledRestClientUserService implements UserService, AutoCloseable {

  private static final ParameterizedTypeReference<Page<User>> PAGE_OF_USERS = new ParameterizedTypeReference<>() {};
  private static final Timeout TIMEOUT = Timeout.ofSeconds(30);

  private final CloseableHttpClient http;
  private final RestClient rest;

  PooledRestClientUserService(String hostAndPort, int connections) {
    PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
        .setMaxConnTotal(connections)
        .setMaxConnPerRoute(connections)
        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(TIMEOUT).setSocketTimeout(TIMEOUT)
            .build())
        .build();
    this.http = HttpClients.custom().setConnectionManager(pool).build();
    this.rest = RestClient.builder()
        .baseUrl("http://" + hostAndPort)
        .requestFactory(new HttpComponentsClientHttpRequestFactory(http))
        .build();
  }

  @Override
  public boolean existUser(String email) {
    return Boolean.TRUE.equals(rest.get().uri("/users/exists?email={email}", email)
        .accept(MediaType.APPLICATION_JSON).retrieve().body(Boolean.class));
  }

  @Override
  public boolean createUser(User user) {
    return Boolean.TRUE.equals(rest.post().uri("/users").contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.APPLICATION_JSON).body(user).retrieve().body(Boolean.class));
  }

  @Override
  public User getUser(long id) {
    return rest.get().uri("/users/{id}", id).accept(MediaType.APPLICATION_JSON).retrieve().body(User.class);
  }

  @Override
  public Page<User> listUser(int pageNo) {
    return rest.get().uri("/users?pageNo={pageNo}", pageNo).accept(MediaType.APPLICATION_JSON).retrieve()
        .body(PAGE_OF_USERS);
  }

  @Override
  public byte[] echo(byte[] data) {
    return rest.post().uri("/echo").contentType(MediaType.APPLICATION_OCTET_STREAM)
        .accept(MediaType.APPLICATION_OCTET_STREAM).body(data).retrieve().body(byte[].class);
  }

  @Override
  public void close() {
    try {
      http.close();
    } catch (IOException e) {
      // closing at the end of a child JVM: nothing to do about it
    }
  }
}
