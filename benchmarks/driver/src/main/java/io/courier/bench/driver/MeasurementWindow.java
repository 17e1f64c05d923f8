package io.courier.bench.driver;

/**
 * Called by a driver at the edges of its measured window, while the load runs. The client child uses it to let
 * the harness sample the server process at the same moments.
 */
public interface MeasurementWindow {

  MeasurementWindow NONE = new MeasurementWindow() {
    @Override
    public void opening() {}

    @Override
    public void closed() {}
  };

  /** Just before the window opens; returns when the harness is ready. */
  void opening() throws InterruptedException;

  /** Just after the window closed, before the load stops. */
  void closed() throws InterruptedException;
}
