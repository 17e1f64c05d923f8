package io.courier.testing.serialization.trap;

/** Stands for a gadget class: initializing or constructing it flips a flag that tests assert stays down. */
public class Trap {
  static {
    TrapFlags.initialized = true;
  }

  private String text;

  public Trap() {
    TrapFlags.constructed = true;
  }

  public String getText() {
    return text;
  }

  public void setText(String text) {
    this.text = text;
  }
}
