package io.courier.transport.http2;

import io.courier.common.OneWay;
import io.courier.common.RpcMethod;
import io.courier.common.RpcService;
import io.courier.common.StreamObserver;
import io.courier.transport.http2.reflectiontest.Item;
import io.courier.transport.http2.reflectiontest.ItemQuery;

/** The services {@link ReflectionTest} exports (public: the server calls them through method handles). */
public final class ReflectionTestServices {

  private ReflectionTestServices() {}

  /** Declared in catalog.proto, next to its messages (which declares one method more). */
  @RpcService(name = "courier.reflectiontest.Catalog")
  public interface Catalog {
    @RpcMethod(name = "Get")
    Item get(ItemQuery query);

    @RpcMethod(name = "Watch")
    void watch(ItemQuery query, StreamObserver<Item> items);
  }

  /** Declared in shelf.proto, a file its messages' files do not import. */
  @RpcService(name = "courier.reflectiontest.Shelf")
  public interface Shelf {
    @RpcMethod(name = "Put", clientStreaming = true)
    StreamObserver<Item> put(StreamObserver<ItemQuery> stored);
  }

  /** Declared nowhere: reflection writes its declaration from this interface. */
  @RpcService(name = "courier.reflectiontest.Counter")
  public interface Counter {
    @RpcMethod(name = "Tally")
    StreamObserver<ItemQuery> tally(StreamObserver<Item> totals);
  }

  /** Not protobuf-typed: not listed. */
  @RpcService(name = "courier.reflectiontest.Greeter")
  public interface Greeter {
    String greet(String name);
  }

  /** Protobuf messages, but one method is one-way: not listed. */
  @RpcService(name = "courier.reflectiontest.Notifier")
  public interface Notifier {
    Item get(ItemQuery query);

    @OneWay
    void notify(ItemQuery query);
  }

  /** Declared in catalog.proto with other messages: the server refuses to start with reflection on. */
  @RpcService(name = "courier.reflectiontest.Mismatched")
  public interface Mismatched {
    @RpcMethod(name = "Get")
    Item get(ItemQuery query);
  }

  /** Named as a message of its package: protobuf refuses the declaration written for it, so it is not listed. */
  @RpcService(name = "courier.reflectiontest.Item")
  public interface Clash {
    @RpcMethod(name = "Get")
    Item get(ItemQuery query);
  }

  /** Implements all of the above. */
  public static final class Impl implements Catalog, Shelf, Counter, Greeter, Notifier, Mismatched, Clash {
    @Override
    public Item get(ItemQuery query) {
      return Item.newBuilder().setName(query.getName()).setKind(Item.Kind.BOOK).build();
    }

    @Override
    public void watch(ItemQuery query, StreamObserver<Item> items) {
      items.onNext(get(query));
      items.onCompleted();
    }

    @Override
    public StreamObserver<Item> put(StreamObserver<ItemQuery> stored) {
      return new StreamObserver<>() {
        private String last = "";

        @Override
        public void onNext(Item item) {
          last = item.getName();
        }

        @Override
        public void onError(Throwable error) {}

        @Override
        public void onCompleted() {
          stored.onNext(ItemQuery.newBuilder().setName(last).build());
          stored.onCompleted();
        }
      };
    }

    @Override
    public StreamObserver<ItemQuery> tally(StreamObserver<Item> totals) {
      return new StreamObserver<>() {
        @Override
        public void onNext(ItemQuery query) {
          totals.onNext(get(query));
        }

        @Override
        public void onError(Throwable error) {}

        @Override
        public void onCompleted() {
          totals.onCompleted();
        }
      };
    }

    @Override
    public String greet(String name) {
      return "Hello, " + name;
    }

    @Override
    public void notify(ItemQuery query) {}
  }
}
