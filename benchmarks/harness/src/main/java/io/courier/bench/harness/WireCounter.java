package io.courier.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the bytes on the wire between a client and a server with the kernel's per-socket TCP counters
 * ({@code tcp_info}, read with {@code ss -tin}): for every established connection to the server's port, the
 * client side's {@code bytes_acked} (sent and acknowledged) plus {@code bytes_received}. That is the TCP payload
 * both ways, protocol headers and framing included, TCP/IP headers not, whatever system calls the processes
 * made. Snapshots are taken per socket at the edges of the measured window: a connection seen at both edges
 * counts its growth, one opened inside the window counts whole, and one closed inside the window is missed, which
 * is why every client here keeps its connections open. Unknown (-1) without {@code ss}.
 */
final class WireCounter {

  private static final List<Path> SS = List.of(Path.of("/usr/bin/ss"), Path.of("/bin/ss"), Path.of("/usr/sbin/ss"));
  private static final Pattern ACKED = Pattern.compile("bytes_acked:(\\d+)");
  private static final Pattern RECEIVED = Pattern.compile("bytes_received:(\\d+)");

  private final Path ss = SS.stream().filter(Files::isExecutable).findFirst().orElse(null);

  boolean available() {
    return ss != null;
  }

  /** Bytes moved so far per client socket (by its local address) connected to {@code serverPort}; null if unknown. */
  Map<String, Long> snapshot(int serverPort) {
    if (ss == null || serverPort <= 0) {
      return null;
    }
    try {
      Process p = new ProcessBuilder(List.of(ss.toString(), "-tinH", "state", "established",
          "( dport = :" + serverPort + " )")).redirectErrorStream(true).start();
      Map<String, Long> bytes = new HashMap<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String socket = null;
        String line;
        while ((line = r.readLine()) != null) {
          if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
            String[] f = line.trim().split("\\s+");
            socket = f.length >= 3 ? f[2] : line; // Recv-Q Send-Q Local Peer (state omitted by the filter)
            bytes.putIfAbsent(socket, 0L);
          } else if (socket != null) {
            bytes.merge(socket, find(ACKED, line) + find(RECEIVED, line), Long::sum);
          }
        }
      }
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? bytes : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Bytes moved between two snapshots, or -1 if either is unknown. */
  static long between(Map<String, Long> start, Map<String, Long> end) {
    if (start == null || end == null) {
      return -1;
    }
    long total = 0;
    for (Map.Entry<String, Long> e : end.entrySet()) {
      total += e.getValue() - start.getOrDefault(e.getKey(), 0L);
    }
    return total;
  }

  private static long find(Pattern p, String line) {
    Matcher m = p.matcher(line);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
