package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.auth.BearerAuth;
import io.courier.server.RpcServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A REST server decides on a request's headers before its body: authentication answers first ({@code 401} before
 * {@code 404}, {@code 415}, {@code 413} or {@code 400}, and before the body is sent), a request with two
 * {@code authorization} headers is refused, and a request trickled past the read timeout closes its connection.
 */
class RestAdmissionTest {

  private RpcServer server;

  @BeforeEach
  void start() {
    server = RpcServer.builder().host("127.0.0.1").listen("rest", 0)
        .option(RestOptions.READ_TIMEOUT, Duration.ofMillis(500))
        .interceptor(BearerAuth.server(BearerAuth.staticTokens(Map.of("t0ken", "caller"))))
        .service(UserResource.class, new UserResource.Impl()).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void unauthenticatedRequestsGet401WhateverElseIsWrongWithThem() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      assertThat(http.exchange("POST", "/demo.Users/greet", "not json", "Content-Type: text/plain").status())
          .as("a content type that would be 415").isEqualTo(401);
      assertThat(http.exchange("POST", "/demo.Users/greet", "{broken", "Content-Type: application/json").status())
          .as("a body that would be 400").isEqualTo(401);
      assertThat(http.exchange("POST", "/no.Such/method", "[]").status()).as("a route that would be 404")
          .isEqualTo(401);
      assertThat(http.exchange("GET", "/users/5", null).status()).as("a good request").isEqualTo(401);
      assertThat(http.exchange("GET", "/users/5", null, "Authorization: Bearer t0ken").status()).isEqualTo(200);
      assertThat(http.exchange("POST", "/demo.Users/greet", "x", "Content-Type: text/plain",
          "Authorization: Bearer t0ken").status()).as("authenticated: now the content type").isEqualTo(415);
    }
  }

  @Test
  void anUnauthenticatedRequestIsAnsweredBeforeItsBodyIsSent() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      http.send("POST /demo.Users/greet HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1000000\r\n\r\n"); // the headers of a 1 MB request, and not a byte of its body
      assertThat(http.read().status()).isEqualTo(401);
    }
  }

  @Test
  void twoAuthorizationHeadersAreRefused() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response response = http.exchange("GET", "/users/5", null, "Authorization: Bearer t0ken",
          "Authorization: Bearer other");
      assertThat(response.status()).isEqualTo(401);
      assertThat(response.body()).contains("more than one authorization header");
    }
  }

  @Test
  void aRequestTrickledPastTheReadTimeoutClosesTheConnection() throws Exception {
    try (RawHttp slow = new RawHttp(server.port()); RawHttp other = new RawHttp(server.port())) {
      slow.send("GET /users/5 HTTP/1.1\r\nHost: x\r\n"); // headers begun, never ended
      for (int i = 0; i < 3; i++) { // a byte now and then does not keep it open
        Thread.sleep(200);
        try {
          slow.send("X");
        } catch (java.io.IOException closed) {
          break;
        }
      }
      assertThat(slow.closedByServer()).isTrue();
      assertThat(other.exchange("GET", "/users/5", null, "Authorization: Bearer t0ken").status()).isEqualTo(200);
    }
  }

  @Test
  void aFoldedHeaderIsRefused() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      http.send("GET /users/5 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n t0ken\r\n\r\n");
      RawHttp.Response response = http.read();
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.body()).contains("obsolete line folding");
      assertThat(http.closedByServer()).isTrue();
    }
  }
}
