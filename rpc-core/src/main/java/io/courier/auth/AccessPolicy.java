package io.courier.auth;

import io.courier.common.Status;
import io.courier.server.CallHead;
import io.courier.server.ServerInterceptor;
import io.courier.server.ServerInvocation;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Per-service and per-method access rules, checked after authentication and, like it, on the call's headers before
 * its arguments are read ({@link ServerInterceptor#admit}): the first rule whose pattern matches the called method
 * decides; a call no rule matches is refused. Refused calls fail with {@code PERMISSION_DENIED} naming the caller and
 * the method. Patterns are {@code service/method}, {@code service/*} or {@code *}; they match the names a call gives,
 * so a caller the rules do not admit is refused before it can learn whether a method exists.
 *
 * <pre>{@code
 * AccessPolicy policy = AccessPolicy.builder()
 *     .allow("acme.Users/getUser", "billing", "frontend")
 *     .allow("acme.Users/*", "admin")
 *     .allowAnyAuthenticated("grpc.health.v1.Health/*")
 *     .build();
 * RpcServer.builder().interceptor(BearerAuth.server(verifier)).interceptor(policy)
 * }</pre>
 */
public final class AccessPolicy implements ServerInterceptor {

  private final List<Rule> rules;

  /** A pattern taken apart once: {@code service} null for {@code *}, {@code method} null for {@code service/*}. */
  private record Rule(String pattern, String service, String method, Set<String> callers, boolean anyAuthenticated) {
    Rule(String pattern, Set<String> callers, boolean anyAuthenticated) {
      this(pattern, pattern.equals("*") ? null : pattern.substring(0, pattern.indexOf('/')),
          pattern.equals("*") || pattern.endsWith("/*") ? null : pattern.substring(pattern.indexOf('/') + 1), callers,
          anyAuthenticated);
    }

    boolean matches(CallHead call) {
      return service == null || service.equals(call.service()) && (method == null || method.equals(call.methodName()));
    }

    boolean admits(Principal caller) {
      return caller != null && (anyAuthenticated || callers.contains(caller.getName()));
    }
  }

  private AccessPolicy(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Status admit(CallHead call) {
    Principal caller = call.get(BearerAuth.CALLER);
    for (Rule rule : rules) {
      if (rule.matches(call)) {
        if (rule.admits(caller)) {
          return null;
        }
        break;
      }
    }
    return Status.PERMISSION_DENIED.withDescription((caller == null ? "an unauthenticated caller"
        : "caller '" + caller.getName() + "'") + " may not call " + call.fullName());
  }

  @Override
  public CompletableFuture<Object> intercept(ServerInvocation invocation, Chain next) {
    return next.proceed(invocation);
  }

  /** Collects rules in order; the first match decides. */
  public static final class Builder {
    private final List<Rule> rules = new ArrayList<>();

    private Builder() {}

    /** Lets the named callers call methods matching {@code pattern}. */
    public Builder allow(String pattern, String... callers) {
      rules.add(new Rule(check(pattern), Set.of(callers), false));
      return this;
    }

    /** Lets any authenticated caller call methods matching {@code pattern}. */
    public Builder allowAnyAuthenticated(String pattern) {
      rules.add(new Rule(check(pattern), Set.of(), true));
      return this;
    }

    public AccessPolicy build() {
      return new AccessPolicy(rules);
    }

    private static String check(String pattern) {
      Objects.requireNonNull(pattern, "pattern");
      if (!pattern.equals("*") && pattern.indexOf('/') <= 0) {
        throw new IllegalArgumentException("pattern: '" + pattern + "' (expected: service/method, service/* or *)");
      }
      return pattern;
    }
  }
}
