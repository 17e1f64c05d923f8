package io.courier.transport;

import io.courier.serialization.SerializerSet;
import io.netty.util.Timer;
import java.util.Objects;

/**
 * What a client or server hands the transports it creates: the serializers, the transport settings and the
 * shared timer. The transport does not own the timer and must not stop it.
 */
public final class TransportContext {

  private final SerializerSet serializers;
  private final TransportOptions options;
  private final Timer timer;

  public TransportContext(SerializerSet serializers, TransportOptions options, Timer timer) {
    this.serializers = Objects.requireNonNull(serializers, "serializers");
    this.options = Objects.requireNonNull(options, "options");
    this.timer = Objects.requireNonNull(timer, "timer");
  }

  public SerializerSet serializers() {
    return serializers;
  }

  public TransportOptions options() {
    return options;
  }

  /** A hashed wheel timer for heartbeats and deadlines; owned by the client or server. */
  public Timer timer() {
    return timer;
  }
}
