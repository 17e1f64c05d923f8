package io.courier.registry.zookeeper;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks one ZooKeeper server for its newest zxid with the {@code srvr} command (ZooKeeper's four-letter words; srvr is
 * the one enabled by default), on a plain socket: no session, no client threads, nothing logged by ZooKeeper.
 */
final class ZooKeeperProbe {

  private static final Pattern ZXID = Pattern.compile("(?m)^Zxid: 0x([0-9a-fA-F]+)");
  private static final int MAX_ANSWER = 4096;

  private ZooKeeperProbe() {}

  /** The server's zxid, or empty if it cannot be reached, does not serve, or does not allow {@code srvr}. */
  static OptionalLong zxid(String hostAndPort, int timeoutMs) {
    int colon = hostAndPort.lastIndexOf(':');
    if (colon <= 0) {
      return OptionalLong.empty();
    }
    String host = hostAndPort.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(hostAndPort.substring(colon + 1).trim());
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMs);
      socket.setSoTimeout(timeoutMs);
      socket.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      byte[] answer = in.readNBytes(MAX_ANSWER); // the server closes the connection after answering
      Matcher m = ZXID.matcher(new String(answer, StandardCharsets.US_ASCII));
      return m.find() ? OptionalLong.of(Long.parseUnsignedLong(m.group(1), 16)) : OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }
}
