package dev.pave.logging;

import dev.pave.config.Secret;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** A service-like main for the process-level tests: logs one scenario through plain SLF4J. */
final class LoggingChild {

  static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  static final String SPAN_ID = "b7ad6b7169203331";
  static final String READY = "CHILD-LOGGED";

  private static final Logger log = LoggerFactory.getLogger("com.example.payments.PaymentService");

  private LoggingChild() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "schema" -> schema();
      case "pan-numbers" -> log.atInfo()
          .addKeyValue("as.long", 4111111111111111L)
          .addKeyValue("as.bigint", new java.math.BigInteger("5500000000000004"))
          .addKeyValue("as.double", 4111111111111111.0)
          .addKeyValue("order.id", 42)
          .addKeyValue("epoch.millis", 1732700000000L)
          .log("numbers");
      case "pan-at-cap" -> {
        // A card number that crosses the stack trace's cap (logging.exception.max-length=256).
        String prefix = "java.lang.IllegalStateException: ";
        log.error("failed", new IllegalStateException("a".repeat(256 - prefix.length() - 8) + " 4111111111111111 tail"));
      }
      case "client-input" -> {
        // What a service logs of a hostile request: a 4 MB field, a 100 KB message and exception.
        String huge = "r".repeat(4 * 1024 * 1024);
        log.atInfo().addKeyValue("payment.reference", huge).log("payment for {}", "x".repeat(100_000));
        log.warn("bad request", new IllegalArgumentException("currency " + "c".repeat(100_000)));
        MDC.put("tenant", huge);
        log.info("after");
        MDC.clear();
      }
      case "hostile" -> hostile();
      case "flood-then-wait" -> {
        flood(Integer.parseInt(args[1]), false);
        System.err.println(READY);
        System.err.flush();
        new CountDownLatch(1).await(); // until SIGTERM
      }
      case "flood-warn-then-exit" -> flood(Integer.parseInt(args[1]), true);
      case "process-stdout-flood" -> {
        PaveLogging.useProcessStdout(); // as sdk-core does when it runs the service as the process
        flood(Integer.parseInt(args[1]), false);
        PaveLogging.flush(java.time.Duration.ofSeconds(30));
        System.err.println("dropped=" + PaveLogging.droppedEvents());
      }
      case "flood-then-warn-then-wait" -> {
        flood(Integer.parseInt(args[1]), false);
        flood(Integer.parseInt(args[2]), true);
        System.err.println(READY);
        System.err.flush();
        new CountDownLatch(1).await(); // until SIGTERM
      }
      case "flood-info-then-exit" -> flood(Integer.parseInt(args[1]), false);
      case "flood-info-stdout-stalled-then-exit" -> {
        // stdout blocks every write until Pave's shutdown waits: the writer holds the first event,
        // the queue's slot the second, and the shutdown's count line finds the queue full.
        StalledStream stalled = new StalledStream(System.out);
        System.setOut(new java.io.PrintStream(stalled, true));
        flood(Integer.parseInt(args[1]), false);
        stalled.openWhenWaiting("pave-logging-shutdown");
      }
      case "redaction" -> redaction();
      case "report-table" -> {
        for (ReportTable.Row row : ReportTable.ROWS) {
          log.info(row.input());
          log.atInfo().addKeyValue("note", row.input()).log("row {} as a field", row.id());
        }
      }
      case "generated" -> {
        // Each generated secret three ways: in the message, as a key-value, in an exception message.
        for (GeneratedSecrets.Case c : GeneratedSecrets.cases(Long.parseLong(args[1]), Integer.parseInt(args[2]))) {
          log.info(c.message());
          log.atInfo().addKeyValue("note", c.message()).log("as a field");
          log.warn("failed", new IllegalStateException(c.message()));
        }
      }
      case "bridges" -> bridges();
      case "levels" -> levels();
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static void schema() {
    MDC.put("request.id", "req-7");
    MDC.put("tenant", "acme");
    MDC.put("message", "an MDC entry named like a standard field");
    Span span = Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
    try (Scope ignored = span.makeCurrent()) {
      log.atInfo()
          .addKeyValue("order.id", 42)
          .addKeyValue("amount", 12.5)
          .addKeyValue("approved", true)
          .addKeyValue("log.level", "a key-value named like a standard field")
          .log("authorized {} for {}", "order 42", "acme");
    }
    log.info("outside any span");
    log.error("payment failed", new IllegalStateException("gateway said no", new java.io.IOException("connection reset")));
  }

  private static void hostile() {
    log.info("line one\nline two\r\nline three");
    log.info("quotes \" and \\ backslash and \"{}\"", "\"quoted\"");
    StringBuilder controls = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      controls.append(c);
    }
    log.info("controls {} del \u007f sep \u2028 \u2029 nel \u0085 bidi \u202eevil\u202c \u2066x\u2069", controls);
    log.info("lone high \uD800 lone low \uDC00 reversed \uDC00\uD800 pair \uD83D\uDE00 end \uD800");
    MDC.put("bad\nkey\"", "bad\nvalue\u0000\uD800");
    log.atWarn().addKeyValue("kv\u0001", "v\u0002\uDFFF").log("hostile fields");
    MDC.clear();
    log.info("x".repeat(1024 * 1024));
    log.info("{}", (Object) null);
    log.info(null);
    log.info("json-looking {\"message\":\"forged\",\"log.level\":\"ERROR\"}");
  }

  private static void flood(int count, boolean warn) {
    for (int i = 0; i < count; i++) {
      if (warn) {
        log.atWarn().addKeyValue("seq", i).log("event {}", i);
      } else {
        log.atInfo().addKeyValue("seq", i).log("event {}", i);
      }
    }
  }

  private static void redaction() {
    Secret secret = Secret.of("s3cr3t-value-1");
    log.info("connecting with {}", secret);
    log.atInfo().addKeyValue("db.credential", secret).log("secret as key-value");
    log.atInfo().addKeyValue("anything", Secret.of("s3cr3t-value-2")).log("secret under a harmless name");
    log.info("request headers: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.plaintext-bearer.sig");
    log.info("calling with bearer plaintext-bearer-2 on the wire");
    log.info("login user=alice password=plaintext-password-1 from 10.0.0.1");
    log.info("config {\"password\":\"plaintext-password-2\", \"user\":\"bob\"}");
    log.info("client_secret='plaintext secret 3' and api_key=plaintext-api-key");
    log.info("card 4111 1111 1111 1111 and 5500-0000-0000-0004 and 4242424242424242");
    log.info("order 4111111111111112 is not a card (fails Luhn), epoch 1732700000000");
    log.info("connecting to postgres://app:plaintext-url-password@db:5432/pay");
    log.info("customer ssn 123-45-6789");
    MDC.put("authorization", "Basic plaintext-mdc-basic");
    MDC.put("note", "token=plaintext-mdc-token");
    log.atInfo().addKeyValue("session_id", "plaintext-session").addKeyValue("comment", "pwd: plaintext-kv-pwd").log("fields");
    MDC.clear();
    log.error("failed for password=plaintext-exception-password",
        new IllegalStateException("token=plaintext-exception-token rejected"));
  }

  private static void bridges() {
    java.util.logging.Logger.getLogger("legacy.jul").info("from java.util.logging");
    java.util.logging.Logger.getLogger("legacy.jul").fine("jul fine is below INFO");
    org.apache.commons.logging.LogFactory.getLog("legacy.jcl").info("from commons-logging");
  }

  private static void levels() {
    LoggerFactory.getLogger("com.example.payments").debug("payments debug visible");
    LoggerFactory.getLogger("com.example.other").debug("other debug hidden");
    LoggerFactory.getLogger("com.example.other").info("other info visible");
  }

  /** An output stream whose writes block until {@link #openWhenWaiting} sees the named thread wait. */
  private static final class StalledStream extends java.io.FilterOutputStream {
    private final CountDownLatch open = new CountDownLatch(1);

    StalledStream(java.io.OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
      awaitOpen();
      out.write(bytes, offset, length);
    }

    @Override
    public void write(int b) throws java.io.IOException {
      awaitOpen();
      out.write(b);
    }

    private void awaitOpen() throws java.io.IOException {
      try {
        open.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
    }

    /** Opens once a thread named {@code name} is parked with a timeout (or after 60 s at most). */
    void openWhenWaiting(String name) {
      Thread watcher = new Thread(() -> {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0 && !waiting(name)) {
          java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        open.countDown();
      }, "stdout-gate");
      watcher.setDaemon(true);
      watcher.start();
    }

    private static boolean waiting(String name) {
      return Thread.getAllStackTraces().keySet().stream()
          .anyMatch(t -> t.getName().equals(name) && t.getState() == Thread.State.TIMED_WAITING);
    }
  }
}
