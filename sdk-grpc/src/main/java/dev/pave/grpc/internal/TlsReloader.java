package dev.pave.grpc.internal;

import dev.pave.grpc.GrpcTls;
import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.util.NamedThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS of one gRPC server or client: grpc-java's {@link AdvancedTlsX509KeyManager} and {@link
 * AdvancedTlsX509TrustManager} (they swap their material for new handshakes while established
 * connections go on) fed with {@link TlsMaterial} that passed its checks, read again every {@link
 * GrpcTls#refreshInterval()}.
 *
 * <p>Meters, tagged {@code role} ({@code server} or {@code client}) and {@code name} ({@code
 * grpc-server} or the client's name):
 *
 * <ul>
 *   <li>{@code pave_tls_certificate_expiration_timestamp_seconds}: the end of validity of the
 *       certificate in use (the leaf this process presents), as cert-manager's own
 *       {@code certmanager_certificate_expiration_timestamp_seconds};
 *   <li>{@code pave_tls_reloads_total{result="success"|"failure"}}: changed files taken or refused.
 * </ul>
 */
public final class TlsReloader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcTls.class);

  /** Micrometer name of the expiry gauge (Prometheus: {@code pave_tls_certificate_expiration_timestamp_seconds}). */
  public static final String EXPIRY_METER = "pave.tls.certificate.expiration.timestamp";
  /** Micrometer name of the reload counter (Prometheus: {@code pave_tls_reloads_total}). */
  public static final String RELOADS_METER = "pave.tls.reloads";

  private final String key;
  private final String what;
  private final Path directory;
  private final AdvancedTlsX509KeyManager keyManager;
  private final AdvancedTlsX509TrustManager trustManager;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter reloaded;
  private final Counter refused;
  private final ScheduledExecutorService scheduler;
  private volatile TlsMaterial current;
  /** The digest of the last files refused, so one broken change is reported once. */
  private byte[] lastRefused;

  private TlsReloader(String role, String name, String key, GrpcTls tls, boolean identityRequired, boolean caRequired,
      boolean verifyHostName, MeterRegistry registry) {
    this.key = key;
    this.what = "gRPC " + role + (role.equals("client") ? " '" + name + "'" : "");
    this.directory = tls.directory().orElse(null);
    this.registry = registry;
    TlsMaterial material = directory == null ? null : TlsMaterial.load(directory, key, identityRequired, caRequired);
    this.current = material;
    try {
      keyManager = material != null && material.chain().isPresent() ? new AdvancedTlsX509KeyManager() : null;
      if (keyManager != null) {
        keyManager.updateIdentityCredentials(material.chain().get(), material.key().get());
      }
      boolean trusts = caRequired || role.equals("client");
      trustManager = trusts ? AdvancedTlsX509TrustManager.newBuilder()
          .setVerification(verifyHostName
              ? AdvancedTlsX509TrustManager.Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION
              : AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
          .build() : null;
      if (trustManager != null) {
        if (material != null && material.trusted().isPresent()) {
          trustManager.updateTrustCredentials(material.trusted().get());
        } else {
          trustManager.useSystemDefaultTrustCerts();
        }
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(key + ": the TLS material cannot be used: " + e.getMessage(), e);
    }
    Tags tags = Tags.of("role", role, "name", name);
    if (keyManager != null) {
      meters.add(Gauge.builder(EXPIRY_METER, this, TlsReloader::expiresEpochSeconds)
          .tags(tags)
          .baseUnit("seconds")
          .description("End of validity of the TLS certificate this process presents, in Unix seconds")
          .strongReference(true)
          .register(registry));
    }
    reloaded = Counter.builder(RELOADS_METER).tags(tags).tag("result", "success")
        .description("Changed TLS files taken (success) or refused because they failed the checks (failure)")
        .register(registry);
    refused = Counter.builder(RELOADS_METER).tags(tags).tag("result", "failure").register(registry);
    meters.add(reloaded);
    meters.add(refused);
    if (directory != null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("pave-grpc-tls-" + name));
      long every = tls.refreshInterval().toNanos();
      scheduler.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.NANOSECONDS);
      material.leaf().ifPresent(leaf -> LOG.atInfo().addKeyValue("tls.dir", directory.toString())
          .log("{} TLS certificate {} from {}", what, TlsMaterial.describe(leaf), directory));
    } else {
      scheduler = null;
    }
  }

  /**
   * The server's TLS; fails naming {@code grpc.server.tls.dir} and the file when the material is
   * missing, expired or does not match.
   */
  public static TlsReloader forServer(GrpcTls tls, MeterRegistry registry) {
    boolean mutual = tls.clientAuth() != GrpcTls.ClientAuth.NONE;
    return new TlsReloader("server", "grpc-server", "grpc.server.tls.dir", tls, true, mutual, false, registry);
  }

  /** Client {@code name}'s TLS; fails naming {@code grpc.clients.<name>.tls.dir} and the file. */
  public static TlsReloader forClient(String name, GrpcTls tls, MeterRegistry registry) {
    return new TlsReloader("client", name, "grpc.clients." + name + ".tls.dir", tls, false, false, true, registry);
  }

  /** Credentials for {@code NettyServerBuilder.forAddress}. */
  public ServerCredentials serverCredentials(GrpcTls tls) {
    TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder().keyManager(keyManager);
    if (trustManager != null) {
      builder.trustManager(trustManager).clientAuth(tls.clientAuth() == GrpcTls.ClientAuth.REQUIRE
          ? TlsServerCredentials.ClientAuth.REQUIRE
          : TlsServerCredentials.ClientAuth.OPTIONAL);
    }
    return builder.build();
  }

  /** Credentials for {@code NettyChannelBuilder.forTarget}. */
  public ChannelCredentials channelCredentials() {
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder().trustManager(trustManager);
    if (keyManager != null) {
      builder.keyManager(keyManager);
    }
    return builder.build();
  }

  /**
   * Reads the files; when they changed and pass the checks, new handshakes use them. A change that
   * fails is logged (once per change) and counted, and the material in use stays.
   */
  public synchronized void refresh() {
    byte[] digest = null;
    try {
      TlsMaterial.Snapshot snapshot = TlsMaterial.read(directory);
      digest = snapshot.digest();
      if (current.sameFilesAs(digest) || Arrays.equals(digest, lastRefused)) {
        return;
      }
      TlsMaterial next;
      try {
        next = TlsMaterial.parse(snapshot, key, keyManager != null, current.trusted().isPresent());
      } catch (RuntimeException e) {
        if (!Arrays.equals(TlsMaterial.read(directory).digest(), digest)) {
          return; // read while the files were being replaced: the next read sees the whole new set
        }
        throw e;
      }
      if (keyManager != null) {
        keyManager.updateIdentityCredentials(next.chain().get(), next.key().get());
      }
      if (trustManager != null && next.trusted().isPresent()) {
        trustManager.updateTrustCredentials(next.trusted().get());
      }
      current = next;
      lastRefused = null;
      reloaded.increment();
      LOG.atInfo().addKeyValue("tls.dir", directory.toString())
          .log("{} TLS material reloaded from {}{}", what, directory,
              next.leaf().map(leaf -> ": certificate " + TlsMaterial.describe(leaf)).orElse(""));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      lastRefused = digest;
      refused.increment();
      LOG.atWarn().addKeyValue("tls.dir", String.valueOf(directory))
          .log("{} TLS files changed but were refused; the previous certificate stays in use: {}", what,
              e.getMessage());
    }
  }

  private double expiresEpochSeconds() {
    TlsMaterial material = current;
    return material == null ? Double.NaN
        : material.leaf().map(X509Certificate::getNotAfter).map(d -> d.getTime() / 1000.0).orElse(Double.NaN);
  }

  /** Stops reading the files and removes the meters. Idempotent. */
  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    meters.forEach(registry::remove);
  }
}
