package io.courier.transport.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Obsolete line folding is found in header sections and trailers only — never in a body, however it is framed — with
 * the input arriving whole or a byte at a time.
 */
class HeaderFoldingScannerTest {

  private static final String FOLDED = "GET /a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n token\r\n\r\n";
  private static final String PLAIN = "GET /a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token\r\n\r\n";
  /** A JSON body of 28 bytes whose text has a line break and a space, framed by its length; then a plain request. */
  private static final String BODY_THEN_PLAIN = "POST /b HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      + "Content-Length: 28\r\n\r\n{\"text\":\"one\r\n two\r\n three\"}" + PLAIN;
  /** The same text chunked, with an extension; then a folded request. */
  private static final String CHUNKED_THEN_FOLDED = "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      + "a;ext=1\r\n{\"t\":\"1\r\n \r\n11\r\n2\r\n two\r\n three\"}\r\n0\r\n\r\n" + FOLDED;
  private static final String FOLDED_TRAILER = "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      + "2\r\n{}\r\n0\r\nX-Sum: 1\r\n 2\r\n\r\n";

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void findsFoldingInHeadersOnly(boolean byteByByte) {
    assertThat(folds(FOLDED, byteByByte)).isTrue();
    assertThat(folds(PLAIN, byteByByte)).isFalse();
    assertThat(folds("\r\n" + PLAIN + PLAIN, byteByByte)).as("blank lines before, pipelined").isFalse();
    assertThat(folds(BODY_THEN_PLAIN, byteByByte)).as("line breaks and spaces in a body").isFalse();
    assertThat(folds(BODY_THEN_PLAIN + FOLDED, byteByByte)).as("the request after a body").isTrue();
    assertThat(folds(CHUNKED_THEN_FOLDED.substring(0, CHUNKED_THEN_FOLDED.indexOf("GET")), byteByByte))
        .as("line breaks and spaces in chunks").isFalse();
    assertThat(folds(CHUNKED_THEN_FOLDED, byteByByte)).as("the request after chunks").isTrue();
    assertThat(folds(FOLDED_TRAILER, byteByByte)).as("a folded trailer").isTrue();
    assertThat(folds("GET /a HTTP/1.1\r\nContent-Length: 1x\r\n\r\n\r\n x", byteByByte))
        .as("a length it cannot read: it stops rather than guess").isFalse();
  }

  private static boolean folds(String input, boolean byteByByte) {
    HeaderFoldingScanner scanner = new HeaderFoldingScanner();
    byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
    int step = byteByByte ? 1 : bytes.length;
    for (int at = 0; at < bytes.length; at += step) {
      ByteBuf chunk = Unpooled.wrappedBuffer(bytes, at, Math.min(step, bytes.length - at));
      try {
        if (scanner.folds(chunk)) {
          return true;
        }
      } finally {
        chunk.release();
      }
    }
    return false;
  }
}
