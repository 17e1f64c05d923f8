package io.courier.transport.rest;

import io.netty.buffer.ByteBuf;

/**
 * Finds obsolete line folding (RFC 9112, section 5.2: a header line that begins with a space or a tab, continuing the
 * line before) in the raw bytes of HTTP/1.1 requests, which Netty's codec accepts and unfolds into one value. Courier
 * refuses such a request instead: a proxy in front may read the folded header differently, and a folded
 * {@code authorization} or {@code content-length} is how requests get smuggled past one.
 *
 * <p>Follows the message framing just far enough to know where header sections are: the request line, the header
 * lines (reading {@code Content-Length} and {@code Transfer-Encoding}), then a body of known length or chunks (and
 * their trailer lines, which it checks too). It keeps a few bytes of state, never a copy of the input. Input it cannot
 * follow (a malformed length or chunk size, which the codec answers with 400 anyway) stops the scan for the
 * connection: it only ever refuses what it recognises for certain. Not thread-safe: one per connection.
 */
final class HeaderFoldingScanner {

  private enum State { REQUEST_LINE, LINE_START, HEADER_LINE, BODY, CHUNK_SIZE, CHUNK_EXTENSION, CHUNK_DATA,
    CHUNK_DATA_END, TRAILER_LINE_START, TRAILER_LINE, GAVE_UP }

  private static final int NAME_PREFIX = 20;

  private State state = State.REQUEST_LINE;
  private boolean lineEmptySoFar = true; // at REQUEST_LINE: only CR/LF seen (blank lines before a request are allowed)
  private final StringBuilder name = new StringBuilder(NAME_PREFIX); // the start of the current header line
  private boolean inValue;
  private int header; // 1 content-length, 2 transfer-encoding, 0 other
  private long contentLength = -1;
  private long lengthValue;
  private boolean lengthValid;
  private final StringBuilder codingTail = new StringBuilder(16); // the last characters of transfer-encoding
  private boolean chunked;
  private long remaining;
  private long chunkSize;
  private int chunkDigits;

  /**
   * Scans {@code bytes} (without consuming them); returns {@code true} if they fold a header line, after which the
   * request must be refused.
   */
  boolean folds(ByteBuf bytes) {
    int at = bytes.readerIndex();
    int end = bytes.writerIndex();
    while (at < end && state != State.GAVE_UP) {
      if (state == State.BODY || state == State.CHUNK_DATA) {
        int n = (int) Math.min(remaining, end - at);
        at += n;
        remaining -= n;
        if (remaining == 0) {
          state = state == State.BODY ? State.REQUEST_LINE : State.CHUNK_DATA_END;
          lineEmptySoFar = true;
        }
        continue;
      }
      byte b = bytes.getByte(at++);
      if (step(b)) {
        return true;
      }
    }
    return false;
  }

  /** One byte outside a body; returns whether it folds a line. */
  private boolean step(byte b) {
    switch (state) {
      case REQUEST_LINE -> {
        if (b == '\n') {
          if (!lineEmptySoFar) {
            startHeaders();
          }
        } else if (b != '\r') {
          lineEmptySoFar = false;
        }
      }
      case LINE_START -> {
        if (b == ' ' || b == '\t') {
          return true;
        }
        if (b == '\n') {
          endOfHeaders();
        } else if (b != '\r') {
          state = State.HEADER_LINE;
          name.setLength(0);
          inValue = false;
          header = 0;
          nameByte(b);
        }
      }
      case HEADER_LINE -> {
        if (b == '\n') {
          state = State.LINE_START;
          endOfHeaderLine(); // may give up instead
        } else if (!inValue) {
          nameByte(b);
        } else {
          valueByte(b);
        }
      }
      case CHUNK_SIZE -> {
        int digit = Character.digit(b, 16);
        if (digit >= 0 && chunkDigits < 15) {
          chunkSize = chunkSize * 16 + digit;
          chunkDigits++;
        } else if (b == ';' || b == ' ' || b == '\t') {
          state = State.CHUNK_EXTENSION;
        } else if (b == '\n') {
          endOfChunkSize();
        } else if (b != '\r') {
          state = State.GAVE_UP;
        }
      }
      case CHUNK_EXTENSION -> {
        if (b == '\n') {
          endOfChunkSize();
        }
      }
      case CHUNK_DATA_END -> {
        if (b == '\n') {
          state = State.CHUNK_SIZE;
          chunkSize = 0;
          chunkDigits = 0;
        } else if (b != '\r') {
          state = State.GAVE_UP;
        }
      }
      case TRAILER_LINE_START -> {
        if (b == ' ' || b == '\t') {
          return true;
        }
        if (b == '\n') {
          state = State.REQUEST_LINE; // the end of the trailers, and of the message
          lineEmptySoFar = true;
        } else if (b != '\r') {
          state = State.TRAILER_LINE;
        }
      }
      case TRAILER_LINE -> {
        if (b == '\n') {
          state = State.TRAILER_LINE_START;
        }
      }
      default -> { }
    }
    return false;
  }

  private void startHeaders() {
    state = State.LINE_START;
    contentLength = -1;
    chunked = false;
  }

  private void nameByte(byte b) {
    if (b == ':') {
      inValue = true;
      String n = name.toString();
      header = n.equalsIgnoreCase("content-length") ? 1 : n.equalsIgnoreCase("transfer-encoding") ? 2 : 0;
      lengthValue = 0;
      lengthValid = false;
      codingTail.setLength(0);
    } else if (name.length() < NAME_PREFIX) {
      name.append((char) (b & 0xff));
    }
  }

  private void valueByte(byte b) {
    if (header == 1) {
      if (b >= '0' && b <= '9' && lengthValue < Long.MAX_VALUE / 10) {
        lengthValue = lengthValue * 10 + (b - '0');
        lengthValid = true;
      } else if (b != ' ' && b != '\t' && b != '\r') {
        header = -1; // not a plain number: the codec decides what it means
      }
    } else if (header == 2 && b != '\r') {
      if (codingTail.length() == 16) {
        codingTail.deleteCharAt(0);
      }
      codingTail.append(Character.toLowerCase((char) (b & 0xff)));
    }
  }

  private void endOfHeaderLine() {
    if (header == 1 && lengthValid) {
      contentLength = lengthValue;
    } else if (header == -1) {
      state = State.GAVE_UP;
    } else if (header == 2) {
      chunked = codingTail.toString().strip().endsWith("chunked");
    }
  }

  private void endOfHeaders() {
    if (state == State.GAVE_UP) {
      return;
    }
    if (chunked) {
      state = State.CHUNK_SIZE;
      chunkSize = 0;
      chunkDigits = 0;
    } else if (contentLength > 0) {
      state = State.BODY;
      remaining = contentLength;
    } else {
      state = State.REQUEST_LINE;
      lineEmptySoFar = true;
    }
  }

  private void endOfChunkSize() {
    if (chunkDigits == 0) {
      state = State.GAVE_UP;
    } else if (chunkSize == 0) {
      state = State.TRAILER_LINE_START;
    } else {
      state = State.CHUNK_DATA;
      remaining = chunkSize;
    }
  }
}
