package io.courier.bench.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * One round of a phase: every system once, in an order shuffled for this round, so that a slow spell of the
 * shared machine spreads over all systems instead of landing on one. Results of a round are compared with each
 * other (ratios to the reference in the same round).
 */
final class Round {

  private final String title;
  private final List<Trial> trials;

  private Round(String title, List<Trial> trials) {
    this.title = title;
    this.trials = trials;
  }

  /** A round whose systems run in an order drawn from {@code random}; each system's trials stay together. */
  static Round shuffled(String title, List<SystemUnderTest> systems, Function<SystemUnderTest, List<Trial>> trialsOf,
      Random random) {
    List<SystemUnderTest> order = new ArrayList<>(systems);
    Collections.shuffle(order, random);
    List<Trial> trials = new ArrayList<>();
    for (SystemUnderTest s : order) {
      trials.addAll(trialsOf.apply(s));
    }
    return new Round(title, trials);
  }

  List<Trial> trials() {
    return trials;
  }

  /** The systems in the order they run. */
  List<String> order() {
    return trials.stream().map(t -> t.system().name()).distinct().toList();
  }

  List<Measurement> run(Progress progress) throws InterruptedException {
    progress.header(title + ": " + String.join(" → ", order()));
    List<Measurement> results = new ArrayList<>();
    for (Trial trial : trials) {
      results.addAll(trial.run(progress));
    }
    return results;
  }
}
