package io.courier.spring.internal;

import io.courier.server.RpcServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Announces the server in the registry when the application is ready ({@link ApplicationReadyEvent}: every bean
 * built, the web server and the Courier server listening, runners done) and withdraws it first thing at shutdown: its
 * phase is the highest, so Spring stops it before anything else — before the Courier server drains
 * ({@link ServerLifecycle#PHASE}) and before the web server shuts down. Consumers so stop choosing this server while it
 * still answers every call.
 */
public final class RegistrationLifecycle implements SmartLifecycle, ApplicationListener<ApplicationReadyEvent>,
    ApplicationContextAware {

  /** Stopped first of all. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

  private static final Logger log = LoggerFactory.getLogger(RegistrationLifecycle.class);

  private final ServerLifecycle server;
  private ApplicationContext context;
  private volatile boolean running; // changes under this, so a late ready event cannot register after stop

  public RegistrationLifecycle(ServerLifecycle server) {
    this.server = server;
  }

  @Override
  public void setApplicationContext(ApplicationContext applicationContext) {
    this.context = applicationContext;
  }

  @Override
  public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
    if (event.getApplicationContext() != context || !running) {
      return; // a parent or child context's, or already shutting down
    }
    RpcServer s = server.server();
    if (s != null && server.hasRegistry()) {
      s.register();
      log.info("Courier services registered: {}", s.registrations().size());
    }
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public synchronized void stop() {
    running = false;
    RpcServer s = server.server();
    if (s != null) {
      int count = s.registrations().size();
      s.deregister();
      if (count > 0) {
        log.info("Courier services deregistered ({}); the server keeps answering until it drains", count);
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
