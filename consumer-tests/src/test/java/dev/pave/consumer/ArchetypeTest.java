package dev.pave.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.pave.testsupport.RuntimeImage;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 4: {@code mvn archetype:generate} makes a service that builds with {@code mvn
 * verify} green (its kit and conformance tests included), starts as its own JVM, answers {@code
 * /readyz} 200, serves its method over a real socket, and exits 0 on SIGTERM. Also prints the
 * figures docs/benchmarks.md records: generate-to-READY, and READY with and without the AppCDS
 * archive the build made.
 */
class ArchetypeTest {

  @TempDir Path tmp;

  @Test
  void generatedService_builds_starts_serves_andStopsOnSigterm() throws Exception {
    long start = System.nanoTime();
    Path project = generate();
    assertThat(project.resolve("pom.xml")).content().contains("<artifactId>sdk-parent</artifactId>",
        "<version>" + Consumers.PAVE_VERSION + "</version>");
    assertThat(project.resolve("k8s/service.yaml")).content()
        .contains("path: /prestop", "path: /startupz", "path: /livez", "path: /readyz",
            "terminationGracePeriodSeconds: 30", "clusterIP: None", "kind: PodDisruptionBudget");
    assertThat(project.resolve(".gitignore")).exists();

    String build = Consumers.mvn(project, 0, "verify");
    assertThat(build).containsPattern("Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, .* in com.example.orders.ServiceKitTest")
        .containsPattern("Tests run: [1-9][0-9]*, Failures: 0, Errors: 0, Skipped: 0, .* in com.example.orders.PlatformConformanceTest")
        .contains("BUILD SUCCESS");
    assertThat(project.resolve("target/orders.jar")).isRegularFile();
    assertThat(project.resolve("target/orders.jsa")).isRegularFile();
    // On JDK 25+ sdk-parent also records the AOT cache; docs/core.md's JDK 25 command uses it.
    boolean aotCache = Runtime.version().feature() >= 25;
    assertThat(Files.isRegularFile(project.resolve("target/orders.aot"))).as("target/orders.aot on JDK %s", Runtime.version())
        .isEqualTo(aotCache);

    long withArchive;
    try (var service = Consumers.ServiceProcess.start(project, List.of(
        "-XX:SharedArchiveFile=target/orders.jsa", "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
        "-XX:+ExitOnOutOfMemoryError",
        "-jar", "target/orders.jar"))) {
      withArchive = service.awaitReady();
      long generateToReady = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(service.get("/readyz")).isEqualTo(200);
      assertThat(sayHello(service.grpcPort, "Ada")).isEqualTo("Hello, Ada");
      assertThat(service.terminate()).as("exit status after SIGTERM; log:%n%s", service.output()).isZero();
      assertThat(service.output()).doesNotContain("\"log.level\":\"ERROR\"", "[cds]");
      System.out.printf("archetype:generate to READY: %d ms (generate, mvn verify with its tests, start)%n", generateToReady);
    }
    long withoutArchive;
    try (var service = Consumers.ServiceProcess.start(project, List.of("-jar", "target/orders.jar"))) {
      withoutArchive = service.awaitReady();
      assertThat(service.terminate()).isZero();
    }
    System.out.printf("generated service READY since JVM start: %d ms with its AppCDS archive, %d ms without (%s)%n",
        withArchive, withoutArchive, Runtime.version());
    if (aotCache) {
      try (var service = Consumers.ServiceProcess.start(project, List.of(
          "-XX:AOTCache=target/orders.aot", "-Xlog:aot=off", "-Xlog:cds=off", "--sun-misc-unsafe-memory-access=allow",
          "-XX:+ExitOnOutOfMemoryError",
          "-Djdk.reflect.useNativeAccessorOnly=true", "-jar", "target/orders.jar"))) {
        long withAot = service.awaitReady();
        assertThat(sayHello(service.grpcPort, "Grace")).isEqualTo("Hello, Grace");
        assertThat(service.terminate()).as("exit status after SIGTERM; log:%n%s", service.output()).isZero();
        assertThat(service.output()).doesNotContain("\"log.level\":\"ERROR\"", "[aot]", "[cds]", "WARNING");
        System.out.printf("generated service READY since JVM start: %d ms with its AOT cache (%s)%n", withAot, Runtime.version());
      }
    }
  }

  /**
   * docs/core.md's recommended runtime, the JDK without {@code jdk.localedata} made by jlink: the
   * generated service's build trains its cache on it ({@code -Dpave.training-java}), and the service
   * starts on it with the cache required ({@code -Xshare:on} on 17, {@code -XX:AOTMode=on} on 25:
   * a cache the runtime refuses stops the JVM) and serves a call; the whole JDK refuses that cache.
   */
  @Test
  void onTheRecommendedRuntimeImage_theBuildTrainsTheCacheTheServiceStartsWith() throws Exception {
    Path project = generate();
    Path java = RuntimeImage.link(Consumers.JAVA_HOME, tmp.resolve("runtime"));
    Consumers.mvn(project, 0, "-q", "package", "-DskipTests", "-Dpave.training-java=" + java);
    List<String> command = Runtime.version().feature() >= 25
        ? List.of("-XX:AOTCache=target/orders.aot", "-XX:AOTMode=on", "-Xlog:aot=off", "-Xlog:cds=off",
            "--sun-misc-unsafe-memory-access=allow", "-jar", "target/orders.jar")
        : List.of("-XX:SharedArchiveFile=target/orders.jsa", "-Xshare:on", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
            "-jar", "target/orders.jar");
    try (var service = Consumers.ServiceProcess.start(project, java, command)) {
      long ready = service.awaitReady();
      assertThat(sayHello(service.grpcPort, "Lin")).isEqualTo("Hello, Lin");
      assertThat(service.terminate()).as("exit status after SIGTERM; log:%n%s", service.output()).isZero();
      assertThat(service.output()).doesNotContain("\"log.level\":\"ERROR\"", "WARNING");
      System.out.printf("generated service READY since JVM start: %d ms on the runtime image with its cache (%s)%n",
          ready, Runtime.version());
    }
    try (var service = Consumers.ServiceProcess.start(project, command)) {
      assertThat(service.awaitExit()).as("the whole JDK with the image's cache required; log:%n%s", service.output())
          .isNotZero();
    }
  }

  /** {@code mvn archetype:generate} of the service {@code orders} in {@code tmp}; returns its directory. */
  private Path generate() throws IOException, InterruptedException {
    Consumers.mvn(tmp, 0, "-q", "org.apache.maven.plugins:maven-archetype-plugin:3.4.1:generate",
        "-DinteractiveMode=false",
        "-DarchetypeGroupId=dev.pave", "-DarchetypeArtifactId=pave-service-archetype",
        "-DarchetypeVersion=" + Consumers.PAVE_VERSION,
        "-DgroupId=com.example", "-DartifactId=orders", "-Dversion=1.0.0-SNAPSHOT", "-Dpackage=com.example.orders");
    return tmp.resolve("orders");
  }

  /** Calls com.example.orders.v1.Greeter/SayHello with hand-encoded protobuf (field 1, a string). */
  private static String sayHello(int port, String name) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      MethodDescriptor<String, String> method = MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("com.example.orders.v1.Greeter/SayHello")
          .setRequestMarshaller(new StringField())
          .setResponseMarshaller(new StringField())
          .build();
      return ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), name);
    } finally {
      channel.shutdownNow();
    }
  }

  /** A message whose only field is string field 1 (HelloRequest.name, HelloReply.message). */
  private static final class StringField implements MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String value) {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(1, value);
        out.flush();
        return new ByteArrayInputStream(bytes.toByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String parse(InputStream stream) {
      try {
        CodedInputStream in = CodedInputStream.newInstance(stream);
        ByteString value = ByteString.EMPTY;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
          if (tag == (1 << 3 | 2)) {
            value = in.readBytes();
          } else {
            in.skipField(tag);
          }
        }
        return value.toStringUtf8();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
