package io.courier.examples.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.courier.auth.BearerAuth;
import io.courier.client.RpcClient;
import io.courier.common.Endpoint;
import io.courier.common.RpcException;
import io.courier.common.StatusCode;
import io.courier.registry.Registries;
import io.courier.registry.Registry;
import io.courier.server.RpcServer;
import io.courier.testing.Polling;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console page (docs/console.md) in a real browser: Debian's {@code chromium}, headless, driven by Selenium
 * through Debian's {@code chromium-driver}, against {@link ConsoleDemo}'s server registered in a ZooKeeper of
 * curator-test. Without chromium and chromedriver (Debian's paths, or the system properties {@code courier.chromium}
 * and {@code courier.chromedriver}) the test is skipped, unless the environment variable
 * {@code COURIER_REQUIRE_EXTERNAL_PEERS=1} is set (as {@code .ci/run} does, after installing them), which makes it
 * fail instead. Leaves a screenshot of the page at {@code target/console.png} (the one in {@code docs/} is a copy).
 */
class ConsoleBrowserTest {

  /** Debian's chromium, or the browser the system property {@code courier.chromium} names. */
  private static final Path CHROMIUM = Path.of(System.getProperty("courier.chromium", "/usr/bin/chromium"));
  /** Debian's chromium-driver, or the driver the system property {@code courier.chromedriver} names. */
  private static final Path CHROMEDRIVER = Path.of(System.getProperty("courier.chromedriver",
      "/usr/bin/chromedriver"));
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Path SCREENSHOT = Path.of("target", "console.png");
  /** How many one-second buckets of calls the test makes for the chart (and the screenshot). */
  private static final int CHART_SECONDS = 6;

  private static TestingServer zookeeper;
  private static Registry registry;
  private static RpcServer server;
  private static RpcServer secondProvider;
  private static RpcClient otherClient;
  private static RpcClient direct;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    if (missingBrowser() != null) {
      return; // each test says so
    }
    zookeeper = new TestingServer(true);
    registry = Registries.connect("zookeeper://" + zookeeper.getConnectString());
    server = ConsoleDemo.server(registry, 0, 0).build().start();
    secondProvider = ConsoleDemo.secondProvider(registry, 0).build().start();
    // a second client, with its own connection to the same ZooKeeper: what the rest of the cluster sees
    otherClient = RpcClient.builder().registry("zookeeper://" + zookeeper.getConnectString())
        .interceptor(BearerAuth.client(() -> ConsoleDemo.OPERATOR_TOKEN)).build();
    // and one that calls the console's server only, for figures that add up
    direct = RpcClient.builder().address("127.0.0.1:" + server.port("tcp"))
        .interceptor(BearerAuth.client(() -> ConsoleDemo.OPERATOR_TOKEN)).build();

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1250",
        "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, WAIT);
  }

  /** Whether chromium or chromedriver is missing: what is, or {@code null}. */
  private static String missingBrowser() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return null;
    }
    return "chromium and chromedriver are needed for the console's browser test (found: " + CHROMIUM + " "
        + Files.isExecutable(CHROMIUM) + ", " + CHROMEDRIVER + " " + Files.isExecutable(CHROMEDRIVER)
        + "; install them with apt-get install chromium chromium-driver)";
  }

  /** Each test in a tab of its own (its own sessionStorage: no token yet), with the browser's log read empty. */
  @BeforeEach
  void freshTab() {
    String missing = missingBrowser();
    if (missing != null) {
      if ("1".equals(System.getenv("COURIER_REQUIRE_EXTERNAL_PEERS"))) {
        fail(missing + ", and COURIER_REQUIRE_EXTERNAL_PEERS=1 requires them");
      }
      Assumptions.abort(missing + "; skipped (set COURIER_REQUIRE_EXTERNAL_PEERS=1 to fail instead)");
    }
    String old = browser.getWindowHandle();
    browser.switchTo().newWindow(WindowType.TAB);
    String fresh = browser.getWindowHandle();
    browser.switchTo().window(old).close();
    browser.switchTo().window(fresh);
    severe();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    for (AutoCloseable closeable : new AutoCloseable[] {direct, otherClient, secondProvider, server}) {
      if (closeable != null) {
        closeable.close();
      }
    }
    if (registry != null) {
      registry.close();
    }
    if (zookeeper != null) {
      zookeeper.close();
    }
  }

  @Test
  void theConsoleShowsTheServerCallsItsMethodsAndTakesItOutOfTheRegistryAndBack() throws Exception {
    browser.get(ConsoleDemo.consoleUrl(server));
    assertThat(browser.getTitle()).startsWith("Courier console");
    connect(ConsoleDemo.OPERATOR_TOKEN);

    // the server's header
    wait.until(ExpectedConditions.attributeToBe(By.id("server-state"), "data-state", "RUNNING"));
    wait.until(ExpectedConditions.attributeToBe(By.id("server-registered"), "data-registered", "true"));
    assertThat(browser.findElement(By.id("server-addresses")).getText())
        .contains("127.0.0.1:" + server.port("tcp"), "127.0.0.1:" + server.port("rest"));
    assertThat(browser.findElement(By.id("server-registry")).getText()).contains(zookeeper.getConnectString());

    // the example services, their methods, kinds, routes and schemas
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-services-loaded", "2"));
    List<String> services = browser.findElements(By.cssSelector("section[data-service]")).stream()
        .map(section -> section.getAttribute("data-service")).collect(Collectors.toList());
    assertThat(services).containsExactlyInAnyOrder("demo.Users", "demo.Clock");
    WebElement get = method("demo.Users", "get");
    assertThat(get.getAttribute("data-kind")).isEqualTo("UNARY");
    assertThat(get.findElement(By.cssSelector(".route")).getText()).isEqualTo("GET /users/{id}");
    assertThat(get.findElement(By.cssSelector(".signature")).getText()).isEqualTo("get(id: integer (int64)) → User");
    WebElement list = method("demo.Users", "list");
    assertThat(list.findElement(By.cssSelector(".signature")).getText())
        .isEqualTo("list(roles: set of ADMIN | ENGINEER | GUEST) → array of User");
    list.findElement(By.cssSelector("details.schemas > summary")).click();
    WebElement user = list.findElement(By.cssSelector("[data-def='User']"));
    assertThat(user.getText()).contains("birthday", "string (date)", "created", "string (date-time)", "tags",
        "array of string", "role", "ADMIN | ENGINEER | GUEST");

    // the providers of each service from ZooKeeper: this server, highlighted, and the second one
    for (String name : services) {
      String table = "table[data-providers-for='" + name + "'] ";
      WebElement self = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
          table + "tr[data-self='true']")));
      assertThat(self.getAttribute("data-provider")).isEqualTo("127.0.0.1:" + server.port("tcp"));
      assertThat(self.getText()).contains("this server", "tcp " + server.port("tcp"), "rest " + server.port("rest"),
          "zone=a");
      WebElement other = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
          table + "tr[data-provider='127.0.0.1:" + secondProvider.port("tcp") + "']")));
      assertThat(other.getAttribute("data-self")).isEqualTo("false");
      assertThat(other.getText()).contains("zone=b").doesNotContain("this server");
    }

    // figures: calls (one in ten NOT_FOUND, at a rate that swings) until the chart shows six seconds of them, read
    // as the page polls; the calls go to the console's server only, so the figures must add up
    Users users = direct.create(Users.class);
    WebElement figures = browser.findElement(By.cssSelector("[data-figures='demo.Users/get']"));
    int calls = 0;
    int notFound = 0;
    long start = System.nanoTime();
    while (Integer.parseInt(chart("demo.Users/get", "data-buckets")) < CHART_SECONDS) {
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(seconds).as("seconds of calls until the chart shows %s", CHART_SECONDS)
          .isLessThan(WAIT.toSeconds());
      for (int burst = 1 + (int) (3 * (1 + Math.sin(seconds * 1.5))); burst > 0; burst--) {
        calls++;
        if (calls % 10 == 0) {
          notFound++;
          assertThatThrownBy(() -> users.get(99)).isInstanceOfSatisfying(RpcException.class,
              e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));
        } else {
          assertThat(users.get(1 + calls % 3).id()).isEqualTo(1 + calls % 3);
        }
      }
    }
    String total = String.valueOf(calls);
    String errors = "NOT_FOUND " + notFound;
    new WebDriverWait(browser, WAIT).withMessage(() -> "figures of demo.Users/get: " + total + " calls and " + errors
        + " expected, the page shows " + figure(figures, "calls") + " calls and " + figure(figures, "errors"))
        .until(driver -> figure(figures, "calls").equals(total) && figure(figures, "errors").equals(errors));
    assertThat(figure(figures, "p50Ms")).endsWith(" ms");
    assertThat(figure(figures, "p99Ms")).endsWith(" ms");
    assertThat(figure(figures, "callsPerSecond")).endsWith("/s").isNotEqualTo("0.0/s");
    assertThat(figure(figures, "inFlight")).isEqualTo("0");
    assertThat(Integer.parseInt(chart("demo.Users/get", "rect.bar"))).as("bars").isGreaterThanOrEqualTo(CHART_SECONDS);
    assertThat(chart("demo.Users/get", "rect.bar-error")).as("bars of errors").isNotEqualTo("0");
    assertThat(chart("demo.Users/get", "path.p99")).as("p99 lines").isEqualTo("1");

    // try it: the example arguments pre-filled, and a call with arguments typed in
    WebElement between = openTry("demo.Clock", "between");
    assertThat(between.findElement(By.name("args")).getAttribute("value"))
        .isEqualTo("[\"2024-01-02T03:04:05Z\",\"2024-01-02T03:04:05Z\"]");
    WebElement betweenResult = call("demo.Clock", "between", null, "OK");
    assertThat(betweenResult.findElement(By.cssSelector("[data-part='result']")).getText()).isEqualTo("\"PT0S\"");

    openTry("demo.Users", "get");
    WebElement missing = call("demo.Users", "get", "[99]", "NOT_FOUND");
    assertThat(missing.findElement(By.cssSelector("[data-part='description']")).getText()).contains("no user 99");
    WebElement ada = call("demo.Users", "get", "[1]", "OK");
    assertThat(ada.findElement(By.cssSelector("[data-part='result']")).getText())
        .contains("\"id\": 1", "\"name\": \"Ada Lovelace\"", "\"role\": \"ADMIN\"", "\"birthday\": \"1815-12-10\"");
    assertThat(ada.findElement(By.cssSelector("[data-part='latency']")).getText()).endsWith(" ms");
    assertThat(ada.findElement(By.cssSelector("[data-part='headers']")).getAttribute("textContent"))
        .contains("courier-generic", "Bearer …(redacted)").doesNotContain(ConsoleDemo.OPERATOR_TOKEN);

    // offline: out of the other client's view (the second provider stays), still serving; online: back
    Users seen = otherClient.create(Users.class);
    Endpoint tcp = new Endpoint("127.0.0.1", server.port("tcp"));
    Endpoint second = new Endpoint("127.0.0.1", secondProvider.port("tcp"));
    Polling.await("the other client sees both providers", WAIT,
        () -> otherClient.providers(seen).containsAll(List.of(tcp, second)));
    click("action-offline");
    Polling.await("the other client sees the second provider only", WAIT,
        () -> otherClient.providers(seen).equals(List.of(second)));
    assertThat(users.get(1).name()).isEqualTo("Ada Lovelace"); // offline, and serving
    wait.until(ExpectedConditions.attributeToBe(By.id("server-registered"), "data-registered", "false"));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(
        "table[data-providers-for='demo.Users'] tr[data-self='true']"), 0));
    assertThat(browser.findElement(By.id("notice")).getText()).contains("offline");
    click("action-online");
    Polling.await("the other client sees this server again", WAIT,
        () -> otherClient.providers(seen).containsAll(List.of(tcp, second)));
    wait.until(ExpectedConditions.attributeToBe(By.id("server-registered"), "data-registered", "true"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
        "table[data-providers-for='demo.Users'] tr[data-self='true']")));
    screenshot();

    // drain asks first; declined, nothing happens
    click("action-drain");
    wait.until(ExpectedConditions.alertIsPresent()).dismiss();
    assertThat(browser.findElement(By.id("server-state")).getAttribute("data-state")).isEqualTo("RUNNING");
    assertThat(users.get(3).name()).isEqualTo("Alan Turing");

    // no errors in the browser's console all along: no failed request, no exception, no CSP violation
    assertThat(severe()).isEmpty();
  }

  @Test
  void aViewerReadsButMayNotActAndABadTokenIsShownAsSuch() {
    browser.get(ConsoleDemo.consoleUrl(server));
    connect(ConsoleDemo.VIEWER_TOKEN);
    wait.until(ExpectedConditions.attributeToBe(By.id("server-state"), "data-state", "RUNNING"));
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-services-loaded", "2"));
    for (String action : List.of("action-offline", "action-online", "action-drain")) {
      assertThat(browser.findElement(By.id(action)).isEnabled()).as(action).isFalse();
    }
    WebElement call = openTry("demo.Users", "get").findElement(By.cssSelector("button[type=submit]"));
    assertThat(call.isEnabled()).isFalse();
    assertThat(severe()).isEmpty();

    connect("not-a-token");
    WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
    wait.until(ExpectedConditions.attributeToBe(error, "data-status", "401"));
    assertThat(error.getText()).contains("401 Unauthorized", "UNAUTHENTICATED");
    // what the browser logs for it: the refused requests, and nothing else
    assertThat(severe()).isNotEmpty().allSatisfy(entry -> assertThat(entry).contains("401"));
  }

  /** Types {@code token} into the token field and connects. */
  private static void connect(String token) {
    WebElement field = wait.until(ExpectedConditions.elementToBeClickable(By.id("token")));
    field.clear();
    field.sendKeys(token);
    browser.findElement(By.id("token-connect")).click();
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-connected", "true"));
  }

  private static WebElement method(String service, String method) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(By.id("method-" + service + "-" + method)));
  }

  /** Opens a method's try-it form; answers the form. */
  private static WebElement openTry(String service, String method) {
    WebElement summary = browser.findElement(By.id("try-open-" + service + "-" + method));
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", summary);
    summary.click();
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("try-" + service + "-" + method)));
  }

  /** Calls through an open try-it form, with {@code args} or the pre-filled example; answers the result area. */
  private static WebElement call(String service, String method, String args, String expectedStatus) {
    WebElement form = browser.findElement(By.id("try-" + service + "-" + method));
    if (args != null) {
      WebElement field = form.findElement(By.name("args"));
      field.clear();
      field.sendKeys(args);
    }
    form.findElement(By.cssSelector("button[type=submit]")).click();
    By result = By.id("result-" + service + "-" + method);
    wait.until(driver -> {
      String status = driver.findElement(result).getAttribute("data-status");
      return status != null && !status.isEmpty() && !status.equals("pending") ? status : null;
    });
    WebElement area = browser.findElement(result);
    assertThat(area.getAttribute("data-status")).as("status of %s/%s; the result area says: %s", service, method,
        area.getText()).isEqualTo(expectedStatus);
    return area;
  }

  private static String figure(WebElement figures, String name) {
    return figures.findElement(By.cssSelector("[data-figure='" + name + "']")).getText();
  }

  /**
   * An attribute ({@code data-...}) of a method's chart, or how many of its elements match a selector, read in one
   * script: the page draws the chart anew on every poll, so a found element would soon be stale.
   */
  private static String chart(String method, String what) {
    return String.valueOf(((JavascriptExecutor) browser).executeScript("var chart = document.querySelector("
        + "'svg[data-chart=\"' + arguments[0] + '\"]'); return arguments[1].startsWith('data-')"
        + " ? chart.getAttribute(arguments[1]) : chart.querySelectorAll(arguments[1]).length", method, what));
  }

  private static void click(String id) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
  }

  /** The browser's console entries of level SEVERE since the last look, as text. */
  private static List<String> severe() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::toString).collect(Collectors.toList());
  }

  private static void screenshot() throws Exception {
    ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
    File shot = browser.getScreenshotAs(OutputType.FILE);
    Files.createDirectories(SCREENSHOT.getParent());
    Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
  }
}
