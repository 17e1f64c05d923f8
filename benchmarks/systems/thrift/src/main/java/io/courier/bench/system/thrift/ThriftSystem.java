package io.courier.bench.system.thrift;

import io.courier.bench.driver.BenchSystem;
import io.courier.bench.driver.Operation;
import io.courier.bench.driver.Workload;
import io.courier.bench.model.Payloads;
import io.courier.bench.system.thrift.gen.ThriftUser;
import io.courier.bench.system.thrift.gen.ThriftUserPage;
import io.courier.bench.system.thrift.gen.ThriftUserService;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadedSelectorServer;
import org.apache.thrift.transport.TNonblockingServerSocket;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Apache Thrift as its users commonly run it for throughput: a {@link TThreadedSelectorServer} (selector threads
 * plus a worker pool) with the framed transport and the binary protocol. A Thrift client is not thread-safe, so
 * each load thread gets its own client and connection on first use, at warm-up.
 */
public final class ThriftSystem implements BenchSystem {

  private static final int TIMEOUT_MILLIS = 30_000;
  private static final int PAGES = Payloads.TOTAL_USERS / Payloads.PAGE_SIZE;

  @Override
  public String name() {
    return "thrift";
  }

  @Override
  public RunningServer startServer(Endpoint at) throws TTransportException {
    TNonblockingServerSocket socket = new TNonblockingServerSocket(new InetSocketAddress(at.host(), at.port()));
    TServer server = new TThreadedSelectorServer(new TThreadedSelectorServer.Args(socket)
        .processor(new ThriftUserService.Processor<>(new NoOpThriftUserService()))
        .protocolFactory(new TBinaryProtocol.Factory())
        .transportFactory(new TFramedTransport.Factory()));
    Thread serving = new Thread(server::serve, "thrift-server");
    serving.setDaemon(true);
    serving.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!server.isServing()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the Thrift server did not start within 30 s");
      }
      Thread.onSpinWait();
    }
    int port = socket.getPort();
    return new RunningServer() {
      @Override
      public int port() {
        return port;
      }

      @Override
      public void close() {
        server.stop();
        try {
          serving.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  /** Answers from constants, like the other systems' no-op services. */
  private static final class NoOpThriftUserService implements ThriftUserService.Iface {
    @Override
    public boolean existUser(String email) {
      return email != null && !email.isEmpty();
    }

    @Override
    public boolean createUser(ThriftUser user) {
      return user != null;
    }

    @Override
    public ThriftUser getUser(long id) {
      return ThriftPayloads.user(id);
    }

    @Override
    public ThriftUserPage listUser(int pageNo) {
      return ThriftPayloads.page(pageNo);
    }

    @Override
    public ByteBuffer echo(ByteBuffer data) {
      return data;
    }
  }

  @Override
  public Client connect(Endpoint target, int concurrency) throws TException {
    List<TTransport> transports = new CopyOnWriteArrayList<>();
    ThreadLocal<ThriftUserService.Client> clients = ThreadLocal.withInitial(() -> {
      try {
        TTransport transport = new TFramedTransport(new TSocket(target.host(), target.port(), TIMEOUT_MILLIS));
        transport.open();
        transports.add(transport);
        return new ThriftUserService.Client(new TBinaryProtocol(transport));
      } catch (TTransportException e) {
        throw new IllegalStateException("cannot connect to " + target.hostAndPort(), e);
      }
    });
    if (!clients.get().existUser(Payloads.EMAIL)) { // the server answers: connect now, not in the window
      throw new IllegalStateException("existUser returned false");
    }
    ThriftUser user = ThriftPayloads.user(42);
    ByteBuffer data = ByteBuffer.wrap(Payloads.echoBytes());
    return new Client() {
      @Override
      public Operation operation(Workload workload) {
        return switch (workload) {
          case EXIST_USER -> seq -> check(clients.get().existUser(Payloads.EMAIL), workload);
          case CREATE_USER -> seq -> check(clients.get().createUser(user), workload);
          case GET_USER -> seq -> {
            ThriftUser u = clients.get().getUser(seq);
            check(u.getId() == seq && u.getPermissionsSize() == 15, workload);
          };
          case LIST_USER -> seq -> check(
              clients.get().listUser((int) (seq % PAGES)).getResultSize() == Payloads.PAGE_SIZE, workload);
          case ECHO -> seq -> check(clients.get().echo(data.duplicate()).remaining() == Payloads.ECHO_BYTES,
              workload);
        };
      }

      @Override
      public void close() {
        transports.forEach(TTransport::close);
      }
    };
  }

  private static void check(boolean ok, Workload workload) {
    if (!ok) {
      throw new IllegalStateException(workload.id() + " returned a wrong answer");
    }
  }
}
