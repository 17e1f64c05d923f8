package io.courier.testing.serialization;

import java.util.Objects;

/** An allowed class whose {@code Object} field can hold anything: the class of the value is only known at run time. */
public class Holder {
  private Object payload;

  public Holder() {}

  public Holder(Object payload) {
    this.payload = payload;
  }

  public Object getPayload() {
    return payload;
  }

  public void setPayload(Object payload) {
    this.payload = payload;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Holder h && Objects.equals(payload, h.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(payload);
  }
}
