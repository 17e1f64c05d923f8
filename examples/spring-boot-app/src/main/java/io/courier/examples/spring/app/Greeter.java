package io.courier.examples.spring.app;

import io.courier.common.RpcService;

/** The service: a plain interface. In a real system it lives in a small jar that providers and callers share. */
@RpcService
public interface Greeter {

  String greet(String name);
}
