package dev.pave.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A {@code main} class run in a fresh JVM with the test's own class path: the one launcher of
 * Pave's process-level tests. The java binary is {@code -Dpave.test.java} (the build's), else the
 * test JVM's.
 *
 * <p>Where stdout goes is the point of many tests, so it is explicit ({@link Stdout}): by default
 * a real pipe that this class reads into a file as a log shipper would, so a test sees what a
 * container runtime would; or a file directly; or a pipe nobody reads; or any file such as
 * {@code /dev/full}. stderr goes to its own file unless merged.
 */
public final class ChildJvm implements AutoCloseable {

  /** Where the child's stdout goes. */
  public enum Stdout {
    /** A pipe, read to its end into {@link #stdoutFile()} by a thread of this JVM (the default). */
    PIPE,
    /** {@link #stdoutFile()} itself. */
    FILE,
    /** A pipe nobody reads: once its buffer is full, every write to stdout blocks. */
    UNREAD_PIPE
  }

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final Thread reader;

  private ChildJvm(Process process, Path stdout, Path stderr, Thread reader) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.reader = reader;
  }

  /** A launcher of {@code mainClass}, writing its output files into {@code dir}. */
  public static Builder builder(Path dir, Class<?> mainClass) {
    return new Builder(dir, mainClass.getName(), null);
  }

  /** A launcher of a runnable jar ({@code java -jar}), as a service is deployed. */
  public static Builder builder(Path dir, Path jar) {
    return new Builder(dir, null, jar);
  }

  /** The child process. */
  public Process process() {
    return process;
  }

  /** The file holding stdout (empty with {@link Stdout#UNREAD_PIPE}, or a redirect elsewhere). */
  public Path stdoutFile() {
    return stdout;
  }

  /** stdout so far. */
  public String stdoutText() {
    return read(stdout);
  }

  /** stdout so far, line by line. */
  public List<String> lines() {
    return stdoutText().lines().toList();
  }

  /** stderr so far (with {@link Builder#mergeStderr()}, in {@link #stdoutText()} instead). */
  public String stderr() {
    return stderr == null ? "" : read(stderr);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until stdout (or stderr) has a match of {@code regex}; returns its group 1, or the
   * whole match. Fails at once if the child exits first.
   */
  public String awaitOutput(String regex, Duration timeout) {
    Pattern pattern = Pattern.compile(regex);
    String[] found = new String[1];
    Awaitility.await("output matching " + regex)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(20))
        .failFast("the child exited:\n" + stdoutText() + stderr(),
            () -> !process.isAlive() && !pattern.matcher(stdoutText() + stderr()).find())
        .until(() -> {
          Matcher m = pattern.matcher(stdoutText() + stderr());
          if (m.find()) {
            found[0] = m.groupCount() >= 1 ? m.group(1) : m.group();
            return true;
          }
          return false;
        });
    return found[0];
  }

  /** Sends {@code SIG<name>} ({@code TERM}, {@code INT}, ...) with {@code kill}. */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -%s exit status", name).isZero();
  }

  /** SIGTERM through the process handle (the pipe stays open: stdout is read to its end). */
  public void sigterm() {
    process.toHandle().destroy();
  }

  /**
   * Waits for the child to exit and, with {@link Stdout#PIPE}, for its stdout to be read to the
   * end; fails with its output if it does not within {@code timeout}.
   *
   * @return the exit status
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child did not exit within " + timeout + "; output:\n" + stdoutText() + stderr());
    }
    if (reader != null) {
      reader.join(timeout.toMillis()); // the pipe's end of stream follows the exit
      if (reader.isAlive()) {
        throw new AssertionError("the child's stdout did not end within " + timeout);
      }
    }
    return process.exitValue();
  }

  /** Kills the child if it still runs. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Builder of a {@link ChildJvm}. */
  public static final class Builder {
    private final Path dir;
    private final String mainClass;
    private final Path jar;
    private final List<String> jvmArgs = new ArrayList<>(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1"));
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Predicate<String> removeEnv = name -> false;
    private String classpathPrefix;
    private Stdout stdoutMode = Stdout.PIPE;
    private File stdoutRedirect;
    private boolean mergeStderr;
    private Path workingDirectory;
    private Path java;

    private Builder(Path dir, String mainClass, Path jar) {
      this.dir = dir;
      this.mainClass = mainClass;
      this.jar = jar;
    }

    /**
     * Drops the defaults ({@code -Xshare:auto -XX:TieredStopAtLevel=1}, which start a test's JVM
     * faster), for a child whose speed is measured.
     */
    public Builder withoutDefaultJvmArgs() {
      jvmArgs.clear();
      return this;
    }

    /** JVM options, after the defaults ({@code -Xshare:auto -XX:TieredStopAtLevel=1}). */
    public Builder jvmArgs(List<String> options) {
      jvmArgs.addAll(options);
      return this;
    }

    /**
     * The {@code java} executable to run, such as a runtime image's {@code bin/java}; default the
     * {@code pave.test.java} system property, else this JVM's.
     */
    public Builder java(Path executable) {
      java = executable;
      return this;
    }

    /** Arguments of {@code main}. */
    public Builder args(String... arguments) {
      args.addAll(List.of(arguments));
      return this;
    }

    /** Environment variables set on top of this JVM's. */
    public Builder env(Map<String, String> variables) {
      env.putAll(variables);
      return this;
    }

    /** Inherited environment variables to drop (a predictable environment), before {@link #env}. */
    public Builder removeEnv(Predicate<String> names) {
      removeEnv = removeEnv.or(names);
      return this;
    }

    /** Class path entries put before the test's own. */
    public Builder classpathPrefix(String prefix) {
      classpathPrefix = prefix;
      return this;
    }

    /** Where stdout goes; default {@link Stdout#PIPE}. */
    public Builder stdout(Stdout mode) {
      stdoutMode = mode;
      stdoutRedirect = null;
      return this;
    }

    /** stdout written to {@code file} (such as {@code /dev/full}). */
    public Builder stdoutTo(File file) {
      stdoutRedirect = file;
      return this;
    }

    /** The child's working directory; default this JVM's. */
    public Builder workingDirectory(Path directory) {
      workingDirectory = directory;
      return this;
    }

    /** stderr into stdout, as {@code 2>&1}. */
    public Builder mergeStderr() {
      mergeStderr = true;
      return this;
    }

    /** Starts the child. */
    public ChildJvm start() throws IOException {
      String java = this.java != null ? this.java.toString()
          : System.getProperty("pave.test.java", ProcessHandle.current().info().command().orElse("java"));
      String classpath = System.getProperty("java.class.path");
      if (classpathPrefix != null) {
        classpath = classpathPrefix + File.pathSeparator + classpath;
      }
      List<String> command = new ArrayList<>();
      command.add(java);
      command.addAll(jvmArgs);
      if (jar != null) {
        command.add("-jar");
        command.add(jar.toString());
      } else {
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
      }
      command.addAll(args);
      Files.createDirectories(dir);
      Path out = Files.createTempFile(dir, "stdout", ".log");
      Path err = mergeStderr ? null : Files.createTempFile(dir, "stderr", ".log");
      ProcessBuilder builder = new ProcessBuilder(command);
      if (workingDirectory != null) {
        builder.directory(workingDirectory.toFile());
      }
      if (stdoutRedirect != null) {
        builder.redirectOutput(stdoutRedirect);
      } else if (stdoutMode == Stdout.FILE) {
        builder.redirectOutput(out.toFile());
      } else {
        builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
      }
      if (mergeStderr) {
        builder.redirectErrorStream(true);
      } else {
        builder.redirectError(err.toFile());
      }
      builder.environment().keySet().removeIf(removeEnv);
      builder.environment().putAll(env);
      Process process = builder.start();
      Thread reader = null;
      if (stdoutRedirect == null && stdoutMode == Stdout.PIPE) {
        reader = new Thread(() -> copy(process.getInputStream(), out), "child-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
      }
      return new ChildJvm(process, out, err, reader);
    }

    private static void copy(InputStream in, Path file) {
      try (in; OutputStream target = Files.newOutputStream(file)) {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          target.write(buffer, 0, n);
          target.flush(); // readers poll the file while the child runs
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
