package io.courier.registry;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry address string taken apart: {@code scheme://host:port,host:port/path?name=value&...}, or just
 * {@code scheme} (as in {@code embedded}). Parsed in this one place for every registry; factories read the parts.
 * Immutable.
 *
 * <pre>{@code
 * RegistryAddress a = RegistryAddress.parse("zookeeper://10.0.0.2:2181,10.0.0.3:2181/courier?connectTimeout=5s");
 * a.scheme();                                  // "zookeeper"
 * a.hosts();                                   // ["10.0.0.2:2181", "10.0.0.3:2181"]
 * a.path();                                    // "/courier"
 * a.duration("connectTimeout", Duration.ZERO); // PT5S
 * }</pre>
 */
public final class RegistryAddress {

  private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
  private static final Pattern SECRET_PARAMETER = Pattern.compile(
      "([?&])([^=&]*(?:credential|password|secret|token)[^=&]*=)([^&]*)", Pattern.CASE_INSENSITIVE);
  private static final String FORMS = "zookeeper://host:port[,host:port][/root][?name=value&...], "
      + "static://host:port[,host:port], or embedded";

  private final String redacted; // the text given, secrets masked
  private final String scheme;
  private final List<String> hosts;
  private final String path;
  private final Map<String, String> parameters;

  private RegistryAddress(String text, String scheme, List<String> hosts, String path,
      Map<String, String> parameters) {
    this.redacted = redact(text);
    this.scheme = scheme;
    this.hosts = hosts;
    this.path = path;
    this.parameters = parameters;
  }

  /**
   * Parses an address.
   *
   * @throws IllegalArgumentException naming the expected forms
   */
  public static RegistryAddress parse(String address) {
    String s = address == null ? "" : address.trim();
    if (s.isEmpty()) {
      throw invalid(address, "it is empty");
    }
    String query = "";
    int q = s.indexOf('?');
    if (q >= 0) {
      query = s.substring(q + 1);
      s = s.substring(0, q);
    }
    String scheme;
    String authority = "";
    String path = "";
    int sep = s.indexOf("://");
    if (sep < 0) {
      scheme = s;
    } else {
      scheme = s.substring(0, sep);
      String rest = s.substring(sep + 3);
      int slash = rest.indexOf('/');
      authority = slash < 0 ? rest : rest.substring(0, slash);
      path = slash < 0 ? "" : rest.substring(slash);
      while (path.length() > 1 && path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      if (path.equals("/")) {
        path = "";
      }
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    if (!SCHEME.matcher(scheme).matches()) {
      throw invalid(address, "'" + scheme + "' is not a scheme");
    }
    List<String> hosts = new ArrayList<>();
    for (String host : authority.split(",")) {
      String h = host.trim();
      if (!h.isEmpty()) {
        hosts.add(h);
      }
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq)).trim();
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1)).trim();
      if (name.isEmpty()) {
        throw invalid(address, "a parameter has no name");
      }
      parameters.put(name, value);
    }
    return new RegistryAddress(address.trim(), scheme, List.copyOf(hosts), path,
        Collections.unmodifiableMap(parameters));
  }

  /** The scheme, lower case: {@code zookeeper}, {@code static}, {@code embedded}, ... */
  public String scheme() {
    return scheme;
  }

  /** The comma-separated hosts of the authority, as written ({@code host:port}); empty if none. */
  public List<String> hosts() {
    return hosts;
  }

  /** The path without a trailing slash, for example {@code "/courier"}; empty if none. */
  public String path() {
    return path;
  }

  /** Every query parameter, in order. */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** A query parameter, or {@code defaultValue}. */
  public String parameter(String name, String defaultValue) {
    return parameters.getOrDefault(name, defaultValue);
  }

  /**
   * A query parameter holding a duration: a number with an optional unit {@code ms}, {@code s}, {@code m} or
   * {@code h} (milliseconds if none), or {@code defaultValue} if absent.
   *
   * @throws IllegalArgumentException of the form {@code "name: value (expected: ...)"}
   */
  public Duration duration(String name, Duration defaultValue) {
    String value = parameters.get(name);
    if (value == null) {
      return defaultValue;
    }
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: a duration such as 500ms, 5s or 2m, in "
          + redacted + ")");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return switch (unit) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofMillis(amount);
    };
  }

  /**
   * The address as given, except that the value of a parameter named like a secret ({@code credentials},
   * {@code password}, {@code secret}, {@code token}) is shown as {@code ****} unless it is a reference
   * ({@code file:...}, {@code env:...}): this string goes into logs and error messages.
   */
  @Override
  public String toString() {
    return redacted;
  }

  private static String redact(String text) {
    Matcher m = SECRET_PARAMETER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value;
      try {
        value = decode(m.group(3)).trim();
      } catch (IllegalArgumentException malformed) {
        value = "?";
      }
      boolean reference = value.startsWith("file:") || value.startsWith("env:") || value.isEmpty();
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + (reference ? m.group(3) : "****")));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static IllegalArgumentException invalid(String address, String why) {
    String shown = address == null ? null : redact(address);
    return new IllegalArgumentException("registry address: '" + shown + "': " + why + " (expected: " + FORMS + ")");
  }
}
