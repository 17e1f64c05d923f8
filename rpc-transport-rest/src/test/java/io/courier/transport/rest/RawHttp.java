package io.courier.transport.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A curl-like HTTP/1.1 client over a plain socket, for tests that must control every byte: writes raw requests
 * (several at once for pipelining), reads responses one by one (Content-Length or chunked bodies). Every read has
 * a 10 s deadline.
 */
final class RawHttp implements AutoCloseable {

  /** One response: status, headers (names lower-cased), body text, and the body's bytes. */
  record Response(int status, String reason, Map<String, String> headers, String body, byte[] bytes) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** A request with the usual headers: {@code Host}, and {@code Content-Type}/{@code Content-Length} with a body. */
  static String request(String method, String target, String body, String... headers) {
    StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
    for (String h : headers) {
      sb.append(h).append("\r\n");
    }
    if (body != null) {
      boolean typed = false;
      for (String h : headers) {
        typed |= h.toLowerCase(Locale.ROOT).startsWith("content-type:");
      }
      if (!typed) {
        sb.append("Content-Type: application/json\r\n");
      }
      sb.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n")
          .append(body);
    } else {
      sb.append("\r\n");
    }
    return sb.toString();
  }

  RawHttp send(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.UTF_8));
    out.flush();
    return this;
  }

  RawHttp send(byte[] raw) throws IOException {
    out.write(raw);
    out.flush();
    return this;
  }

  /** Sends one request and reads its response. */
  Response exchange(String method, String target, String body, String... headers) throws IOException {
    send(request(method, target, body, headers));
    return read();
  }

  /** Reads the next response. */
  Response read() throws IOException {
    String status = line();
    while (status.isEmpty()) {
      status = line();
    }
    String[] parts = status.split(" ", 3);
    int code = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
          (a, b) -> a + ", " + b);
    }
    byte[] body;
    if (code == 100 || code == 204 || code == 304) {
      body = new byte[0];
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
        all.writeBytes(in.readNBytes(size));
        line();
      }
      line();
      body = all.toByteArray();
    } else if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else {
      body = in.readAllBytes();
    }
    return new Response(code, parts.length > 2 ? parts[2] : "", headers, new String(body, StandardCharsets.UTF_8),
        body);
  }

  /** Whether the server closed the connection: the next read sees the end of the stream (within 10 s). */
  boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    if (b == -1 && line.size() == 0) {
      throw new IOException("connection closed by the server");
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
