package anchor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Spring Boot's hello-world: one REST endpoint. Its log line "Started HelloApplication" is READY. */
@SpringBootApplication
@RestController
public class HelloApplication {

  @GetMapping("/hello")
  public String hello() {
    return "hello";
  }

  public static void main(String[] args) {
    SpringApplication.run(HelloApplication.class, args);
  }
}
