package io.courier.testing.serialization.trap;

/** Shaped exactly like {@link Trap} and named with as many letters, so its bytes can be turned into Trap's. */
public class Bait {
  private String text;

  public Bait() {}

  public Bait(String text) {
    this.text = text;
  }

  public String getText() {
    return text;
  }

  public void setText(String text) {
    this.text = text;
  }
}
