package io.courier.testing.serialization;

import java.time.Instant;
import java.util.List;

/** A record with a nested enum, a list and a time stamp. */
public record Point(int x, long y, String label, Color color, List<String> tags, Instant at) {}
