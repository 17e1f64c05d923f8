package io.courier.serialization.hessian;

import java.util.List;

/** A record with a field that takes anything and one that takes only integers, for shared-reference checks. */
public record Mixed(Object anything, List<Integer> numbers) {}
