package io.courier.transport;

import io.courier.console.Console;
import io.courier.serialization.SerializerSet;
import io.netty.util.Timer;
import java.util.Objects;

/**
 * What a client or server hands the transports it creates: the serializers, the transport settings, the
 * shared timer and, on a server with it on, the console. The transport does not own the timer and must not stop it.
 */
public final class TransportContext {

  private final SerializerSet serializers;
  private final TransportOptions options;
  private final Timer timer;
  private final Console console;

  public TransportContext(SerializerSet serializers, TransportOptions options, Timer timer) {
    this(serializers, options, timer, null);
  }

  /** A server's context; {@code console} is {@code null} unless the server's console is on. */
  public TransportContext(SerializerSet serializers, TransportOptions options, Timer timer, Console console) {
    this.serializers = Objects.requireNonNull(serializers, "serializers");
    this.options = Objects.requireNonNull(options, "options");
    this.timer = Objects.requireNonNull(timer, "timer");
    this.console = console;
  }

  public SerializerSet serializers() {
    return serializers;
  }

  public TransportOptions options() {
    return options;
  }

  /**
   * The server's console, which a transport that serves REST answers requests under {@link Console#PATH} with;
   * {@code null} when it is off (and always on a client).
   */
  public Console console() {
    return console;
  }

  /** A hashed wheel timer for heartbeats and deadlines; owned by the client or server. */
  public Timer timer() {
    return timer;
  }
}
