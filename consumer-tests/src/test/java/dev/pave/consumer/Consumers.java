package dev.pave.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.testsupport.ServiceLog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the consumer tests share: a real {@code mvn} (the one running this build) against a local
 * repository holding this build's Pave artifacts, and a service run as its own JVM.
 */
final class Consumers {

  static final String PAVE_VERSION = required("pave.version");
  static final Path IT_REPO = Path.of(required("pave.it.repo"));
  private static final Path USER_REPO = Path.of(required("pave.user.repo"));
  private static final Path MVN = Path.of(required("maven.home"), "bin", "mvn");
  /** The JDK of this build: the consumer builds and the services run on it. */
  static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(8);

  private Consumers() {}

  private static String required(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("system property " + name + " is not set (run through Maven: consumer-tests/pom.xml sets it)");
    }
    return value;
  }

  /**
   * Runs {@code mvn -B <args>} in {@code dir} with a settings file whose local repository is the
   * one holding this build's Pave artifacts; everything else comes from the user's repository
   * (read as a remote, never written) or Maven Central. Fails with the build's log when the
   * exit status differs from {@code expectedExit}.
   */
  static String mvn(Path dir, int expectedExit, String... args) throws IOException, InterruptedException {
    Path settings = IT_REPO.resolveSibling("it-settings.xml");
    if (!Files.exists(settings)) {
      String repo = "<id>%s</id><url>" + USER_REPO.toUri() + "</url>"
          + "<releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots>";
      Files.writeString(settings, """
          <settings>
            <localRepository>%s</localRepository>
            <profiles>
              <profile>
                <id>user-repository</id>
                <repositories><repository>%s</repository></repositories>
                <pluginRepositories><pluginRepository>%s</pluginRepository></pluginRepositories>
              </profile>
            </profiles>
            <activeProfiles><activeProfile>user-repository</activeProfile></activeProfiles>
          </settings>
          """.formatted(IT_REPO, repo.formatted("user-repository"), repo.formatted("user-plugin-repository")));
    }
    List<String> command = new ArrayList<>(List.of(MVN.toString(), "-B", "-s", settings.toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir.getParent(), "mvn-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("JAVA_HOME", JAVA_HOME.toString());
    builder.environment().remove("MAVEN_OPTS");
    Process process = builder.start();
    if (!process.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("mvn " + String.join(" ", args) + " did not finish within " + BUILD_TIMEOUT
          + "; its log:\n" + tail(log));
    }
    String output = Files.readString(log);
    assertThat(process.exitValue())
        .as("exit status of mvn %s in %s; its log:%n%s", String.join(" ", args), dir, tail(log))
        .isEqualTo(expectedExit);
    return output;
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
  }

  /** Copies a project from this module's test resources, replacing {@code @NAME@} placeholders. */
  static Path copyProject(String name, Path into, Map<String, String> replacements) throws IOException {
    Path source;
    try {
      source = Path.of(Consumers.class.getResource("/consumers/" + name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Path target = into.resolve(name);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          String text = Files.readString(file);
          for (var entry : replacements.entrySet()) {
            text = text.replace("@" + entry.getKey() + "@", entry.getValue());
          }
          Files.writeString(to, text);
        }
      }
    }
    return target;
  }

  /** A service run as its own JVM, its stdout and stderr going to a file. */
  static final class ServiceProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("READY in (\\d+) ms since JVM start");
    private static final Pattern ADMIN_PORT = Pattern.compile(ServiceLog.ADMIN_PORT);
    private static final Pattern GRPC_PORT = Pattern.compile(ServiceLog.GRPC_PORT);

    final Process process;
    final Path log;
    /** The ports the service bound, from its log: known once {@link #awaitReady()} returned. */
    int grpcPort = -1;
    int adminPort = -1;

    private ServiceProcess(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    /**
     * Starts {@code java <jvmArgs>} on 127.0.0.1, configured by env only, on ports the service
     * picks itself (port 0): a port picked here and closed could be taken before the child binds it.
     */
    static ServiceProcess start(Path dir, List<String> jvmArgs) throws IOException {
      return start(dir, JAVA_HOME.resolve("bin/java"), jvmArgs);
    }

    /** The same with another {@code java} executable, such as a runtime image's. */
    static ServiceProcess start(Path dir, Path java, List<String> jvmArgs) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(java.toString());
      command.addAll(jvmArgs);
      Path log = Files.createTempFile(dir, "service-", ".log");
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.put("GRPC_PORT", "0");
      env.put("GRPC_SERVER_HOST", "127.0.0.1");
      env.put("ADMIN_PORT", "0");
      env.put("ADMIN_HOST", "127.0.0.1");
      env.put("LIFECYCLE_DRAIN_DELAY", "0s");
      env.put("SECRETS_DIR", "");
      env.remove("JAVA_TOOL_OPTIONS");
      return new ServiceProcess(builder.start(), log);
    }

    /**
     * Waits for the READY line, learns the ports from the log, and returns READY's milliseconds
     * since JVM start; fails with the log when the process exits first or 60 s pass.
     */
    long awaitReady() throws IOException, InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        String output = Files.readString(log);
        Matcher ready = READY.matcher(output);
        Matcher admin = ADMIN_PORT.matcher(output);
        if (ready.find() && admin.find()) {
          adminPort = Integer.parseInt(admin.group(1));
          Matcher grpc = GRPC_PORT.matcher(output);
          grpcPort = grpc.find() ? Integer.parseInt(grpc.group(1)) : -1;
          return Long.parseLong(ready.group(1));
        }
        if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
          throw new AssertionError("exited " + process.exitValue() + " before READY; its log:\n" + output());
        }
      }
      throw new AssertionError("no READY line within 60 s; its log:\n" + output());
    }

    /** Waits for the process to exit on its own (startup failure) and returns its status. */
    int awaitExit() throws InterruptedException {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("still running after 60 s");
      }
      return process.exitValue();
    }

    int get(String path) throws IOException, InterruptedException {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      return client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }

    /** SIGTERM (what the kubelet sends), then the exit status, within 60 s. */
    int terminate() throws InterruptedException {
      process.destroy(); // SIGTERM on Linux
      return awaitExit();
    }

    String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(log unreadable: " + e + ")";
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
