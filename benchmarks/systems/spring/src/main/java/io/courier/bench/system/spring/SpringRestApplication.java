package io.courier.bench.system.spring;

import io.courier.bench.model.NoOpUserService;
import io.courier.bench.model.Page;
import io.courier.bench.model.User;
import io.courier.bench.model.UserService;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Spring Boot application under test: auto-configured Spring MVC on Tomcat, one controller, nothing else
 * (no actuator, no security, no access log, which Tomcat leaves off by default). The routes are resource-style,
 * as a REST user would write them:
 *
 * <pre>
 * GET  /users/exists?email=E   existUser   -> true
 * POST /users                  createUser  (User as JSON) -> true
 * GET  /users/{id}             getUser     -> User as JSON
 * GET  /users?pageNo=N         listUser    -> Page of User as JSON
 * POST /echo                   echo        (application/octet-stream) -> the same bytes
 * </pre>
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SpringRestApplication.UserController.class)
public class SpringRestApplication {

  @RestController
  public static class UserController {
    private final UserService users = new NoOpUserService();

    @GetMapping("/users/exists")
    public boolean existUser(@RequestParam("email") String email) {
      return users.existUser(email);
    }

    @PostMapping("/users")
    public boolean createUser(@RequestBody User user) {
      return users.createUser(user);
    }

    @GetMapping("/users/{id}")
    public User getUser(@PathVariable("id") long id) {
      return users.getUser(id);
    }

    @GetMapping("/users")
    public Page<User> listUser(@RequestParam("pageNo") int pageNo) {
      return users.listUser(pageNo);
    }

    @PostMapping(value = "/echo", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
        produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public byte[] echo(@RequestBody byte[] data) {
      return users.echo(data);
    }
  }
}
