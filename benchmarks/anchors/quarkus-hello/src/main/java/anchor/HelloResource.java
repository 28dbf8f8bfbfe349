package anchor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Quarkus' hello-world: one REST endpoint. Its log line "... started in" is READY. */
@Path("/hello")
public class HelloResource {

  @GET
  public String hello() {
    return "hello";
  }
}
