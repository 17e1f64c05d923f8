package io.courier.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.transport.netty.FirstBytesDetector.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FirstBytesDetectorTest {

  private static Protocol classify(byte... bytes) {
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    Protocol p = FirstBytesDetector.classify(in);
    assertThat(in.readerIndex()).as("reader index").isZero();
    return p;
  }

  private static Protocol classify(String ascii) {
    return classify(ascii.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void aTlsRecordIsToldFromItsFirstByte() {
    assertThat(classify((byte) 0x16)).isEqualTo(Protocol.TLS);
    assertThat(classify((byte) 0x16, (byte) 0x03, (byte) 0x01)).isEqualTo(Protocol.TLS);
  }

  @Test
  void courierTcpIsToldFromItsMagic() {
    assertThat(classify((byte) 0xC0)).isNull();
    assertThat(classify((byte) 0xC0, (byte) 0xDE)).isEqualTo(Protocol.COURIER_TCP);
  }

  @Test
  void theHttp2PrefaceIsToldOnlyWhenWhole() {
    String preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    for (int n = 1; n < preface.length(); n++) {
      assertThat(classify(preface.substring(0, n))).as("first %d bytes", n).isNull();
    }
    assertThat(classify(preface)).isEqualTo(Protocol.HTTP2);
    assertThat(classify(preface + "\0\0\0\4")).isEqualTo(Protocol.HTTP2);
  }

  @Test
  void anHttp1RequestLineIsToldFromItsMethodToken() {
    assertThat(classify("GET / HTTP/1.1\r\n")).isEqualTo(Protocol.HTTP1);
    assertThat(classify("POST /x")).isEqualTo(Protocol.HTTP1);
    assertThat(classify("DELETE /")).isEqualTo(Protocol.HTTP1);
    assertThat(classify("PRI / HTTP/1.1")).as("PRI as an HTTP/1 method").isEqualTo(Protocol.HTTP1);
    assertThat(classify("GE")).as("could still be a method").isNull();
    assertThat(classify("OPTIONS")).as("could still be a method").isNull();
  }

  @Test
  void anythingElseIsUnknownOnceItCannotBeAMethod() {
    assertThat(classify("get / HTTP/1.1")).isEqualTo(Protocol.UNKNOWN);
    assertThat(classify("\r\nGET /")).isEqualTo(Protocol.UNKNOWN);
    assertThat(classify("ABCDEFGHIJ")).as("8 letters and no space").isEqualTo(Protocol.UNKNOWN);
    assertThat(classify("GO /")).as("a token shorter than 3").isEqualTo(Protocol.UNKNOWN);
    assertThat(classify((byte) 0, (byte) 0)).isEqualTo(Protocol.UNKNOWN);
  }

  @Test
  void nothingIsToldFromNothing() {
    assertThat(classify()).isNull();
  }
}
