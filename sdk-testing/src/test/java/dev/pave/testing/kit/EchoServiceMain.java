package dev.pave.testing.kit;

import dev.pave.core.Pave;
import dev.pave.core.ServiceContext;
import dev.pave.grpc.PaveGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A tiny service for the kit's own tests: a string echo over gRPC, with a secret and a readiness check. */
public final class EchoServiceMain {

  private static final Logger LOG = LoggerFactory.getLogger(EchoServiceMain.class);

  /** {@code test.Echo/Echo}: returns "<echo.prefix><request>". */
  public static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", "Echo"))
      .setRequestMarshaller(new Utf8())
      .setResponseMarshaller(new Utf8())
      .build();

  private EchoServiceMain() {}

  public static void main(String[] args) {
    Pave.service("echo").run(EchoServiceMain::setup);
  }

  static void setup(ServiceContext svc) {
    String prefix = svc.config().get("echo.prefix", String.class, "echo: ");
    boolean keyMatches = svc.config().secret("echo.api-key").use(key -> key.length == 12);
    svc.health().readiness("api-key", () -> keyMatches
        ? dev.pave.core.HealthCheck.Result.healthy()
        : dev.pave.core.HealthCheck.Result.unhealthy("api key has the wrong length"));
    PaveGrpc.from(svc).server().addService(ServerServiceDefinition.builder("test.Echo")
        .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
          LOG.info("echoing {} with key {}", request, svc.config().secret("echo.api-key"));
          response.onNext(prefix + request);
          response.onCompleted();
        }))
        .build());
  }

  /** Strings as UTF-8 bytes. */
  static final class Utf8 implements MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
