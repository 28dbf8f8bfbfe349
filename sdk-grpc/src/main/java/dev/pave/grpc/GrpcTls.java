package dev.pave.grpc;

import dev.pave.config.Experimental;
import static java.util.Objects.requireNonNull;

import dev.pave.grpc.internal.GrpcConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS for a gRPC server or client, read from PEM files in a directory laid out as a Kubernetes
 * {@code kubernetes.io/tls} Secret mounted as a volume (what cert-manager writes):
 * {@value #CERTIFICATE_FILE} (the certificate chain, leaf first), {@value #PRIVATE_KEY_FILE} (its
 * PKCS#8 private key) and {@value #CA_FILE} (the CA certificates trusted for the peer).
 *
 * <p>The files are read again every {@link #refreshInterval()}; when their content changed (the
 * kubelet swaps the volume's {@code ..data} link when the Secret changes), the new material is
 * checked as at startup and used for new connections; established connections and their calls
 * go on. A change that fails the checks (a half-written file, a key that does not match) is
 * refused, logged and counted, and the previous material stays in use.
 *
 * <ul>
 *   <li>Server ({@code grpc.server.tls.*}): {@value #CERTIFICATE_FILE} and {@value #PRIVATE_KEY_FILE}
 *       are required; {@value #CA_FILE} is required when {@link #clientAuth()} is not {@link
 *       ClientAuth#NONE} (mutual TLS).
 *   <li>Client ({@code grpc.clients.<name>.tls.*}): the server is verified against {@value #CA_FILE}
 *       when the directory has one, else against the JDK's trust store ({@link #systemTrust()});
 *       the host name is verified too. {@value #CERTIFICATE_FILE} and {@value #PRIVATE_KEY_FILE},
 *       when present, are the client's certificate for mutual TLS.
 * </ul>
 *
 * <p>Immutable; equal when every setting is.
 */
@Experimental("new in 0.1.0: certificate sources other than a mounted Secret may be added")
public final class GrpcTls {

  /** Whether a server asks clients for a certificate. */
  public enum ClientAuth {
    /** No client certificate is asked for (TLS, not mutual). */
    NONE,
    /** A client certificate is verified when sent; a client without one is accepted. */
    OPTIONAL,
    /** Mutual TLS: a client without a certificate signed by {@value GrpcTls#CA_FILE} is refused. */
    REQUIRE
  }

  /** The certificate chain's file name in the directory (cert-manager's). */
  public static final String CERTIFICATE_FILE = "tls.crt";
  /** The private key's file name in the directory (cert-manager's); PKCS#8 PEM. */
  public static final String PRIVATE_KEY_FILE = "tls.key";
  /** The trusted CA certificates' file name in the directory (cert-manager's). */
  public static final String CA_FILE = "ca.crt";
  /** Default interval between two reads of the files: the kubelet's own sync period is about 1 minute. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = GrpcConfig.SERVER_DEFAULTS.tls().refreshInterval();

  private final Path directory;
  private final ClientAuth clientAuth;
  private final Duration refreshInterval;

  private GrpcTls(Path directory, ClientAuth clientAuth, Duration refreshInterval) {
    this.directory = directory;
    this.clientAuth = clientAuth;
    this.refreshInterval = refreshInterval;
  }

  /** TLS from the files in {@code directory}, no client authentication, the default refresh interval. */
  public static GrpcTls fromDirectory(Path directory) {
    return new GrpcTls(requireNonNull(directory, "directory"), ClientAuth.NONE, DEFAULT_REFRESH_INTERVAL);
  }

  /**
   * Client TLS that verifies the server against the JDK's trust store, without a client
   * certificate: for a server whose certificate a public CA signed. Not valid for a server.
   */
  public static GrpcTls systemTrust() {
    return new GrpcTls(null, ClientAuth.NONE, DEFAULT_REFRESH_INTERVAL);
  }

  /** A copy asking clients for a certificate as {@code clientAuth} says (servers only). */
  public GrpcTls withClientAuth(ClientAuth clientAuth) {
    return new GrpcTls(directory, requireNonNull(clientAuth, "clientAuth"), refreshInterval);
  }

  /**
   * A copy reading the files every {@code interval} (positive; default {@link
   * #DEFAULT_REFRESH_INTERVAL}).
   */
  public GrpcTls withRefreshInterval(Duration interval) {
    requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("TLS refresh interval must be positive, was " + interval);
    }
    return new GrpcTls(directory, clientAuth, interval);
  }

  /** The directory holding the PEM files; empty for {@link #systemTrust()}. */
  public Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  /** Whether a server asks clients for a certificate; {@link ClientAuth#NONE} on clients. */
  public ClientAuth clientAuth() {
    return clientAuth;
  }

  /** The interval between two reads of the files. */
  public Duration refreshInterval() {
    return refreshInterval;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof GrpcTls)) {
      return false;
    }
    GrpcTls that = (GrpcTls) o;
    return Objects.equals(directory, that.directory)
        && clientAuth == that.clientAuth
        && refreshInterval.equals(that.refreshInterval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(directory, clientAuth, refreshInterval);
  }

  @Override
  public String toString() {
    return "GrpcTls{" + (directory == null ? "system trust" : "directory=" + directory)
        + ", clientAuth=" + clientAuth + ", refreshInterval=" + refreshInterval + "}";
  }
}
