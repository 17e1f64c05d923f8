package io.courier.transport.inprocess;

import io.courier.common.Endpoint;
import io.courier.serialization.Serializer;
import io.courier.serialization.SerializerProvider;
import io.courier.serialization.SerializerSet;
import io.courier.serialization.TypeAllowlist;
import io.courier.testing.AbstractTransportContractTest;
import io.courier.transport.ClientTransport;
import io.netty.buffer.ByteBuf;
import java.lang.reflect.Type;
import java.util.List;

/**
 * The transport SPI's contracts, on the in-process transport of rpc-core (which cannot depend on this module, so its
 * contract test lives here, in its package). Values pass by reference: the serializer a call names is never used, so
 * the calls name one that refuses to work. The in-process transport has no connections: the core admits its calls.
 */
class InProcessTransportContractTest extends AbstractTransportContractTest {

  @Override
  protected String transport() {
    return "inprocess";
  }

  @Override
  protected int pendingCalls(ClientTransport client) {
    return InProcessTransportFactory.pendingCalls(client);
  }

  @Override
  protected SerializerSet serializers() {
    return SerializerSet.of(TypeAllowlist.withDefaults(), List.of(new ByReference()));
  }

  /** The wildcard host: the server gets a name of its own, unique in this JVM. */
  @Override
  protected String host() {
    return "0.0.0.0";
  }

  @Override
  protected Endpoint unreachableEndpoint() {
    return new Endpoint("no-such-in-process-server", 0);
  }

  @Override
  protected boolean presentsConnections() {
    return false;
  }

  /** A serializer for calls whose values pass by reference; writing or reading with it fails. */
  private static final class ByReference implements SerializerProvider {
    @Override
    public String name() {
      return "by-reference";
    }

    @Override
    public Serializer create(TypeAllowlist allowlist) {
      return new Serializer() {
        @Override
        public byte id() {
          return 98;
        }

        @Override
        public String name() {
          return "by-reference";
        }

        @Override
        public void write(ByteBuf out, Object value, Type type) {
          throw new UnsupportedOperationException("in-process calls pass values by reference");
        }

        @Override
        public Object read(ByteBuf in, Type type) {
          throw new UnsupportedOperationException("in-process calls pass values by reference");
        }
      };
    }
  }
}
