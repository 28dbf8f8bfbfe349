package dev.pave.grpc.internal;

import dev.pave.grpc.GrpcTls;
import io.grpc.util.CertificateUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * One reading of a TLS directory ({@link GrpcTls}), checked: the certificate chain and its key
 * parse, the key belongs to the leaf certificate, and the leaf is valid now. Each failure says
 * which key, file and what was expected; {@link #describe} never includes key material.
 *
 * <p>grpc-java's {@code AdvancedTlsX509KeyManager} can reload files by itself, but it takes
 * whatever it reads: a key written before its certificate (a non-atomic update), a mismatched
 * pair or an expired certificate would be served, and every handshake would fail until the next
 * change. Pave reads and checks the files itself and hands the key manager only a pair that
 * passed ({@link TlsReloader}).
 */
public final class TlsMaterial {

  private final X509Certificate[] chain;
  private final PrivateKey key;
  private final X509Certificate[] trusted;
  private final byte[] digest;

  private TlsMaterial(X509Certificate[] chain, PrivateKey key, X509Certificate[] trusted, byte[] digest) {
    this.chain = chain;
    this.key = key;
    this.trusted = trusted;
    this.digest = digest;
  }

  /**
   * The three files' bytes, read once, and their digest: the material is parsed from these bytes,
   * never by reading a file again, so a check sees one set of files.
   */
  record Snapshot(Path directory, java.util.Map<String, byte[]> files, byte[] digest) {
    byte[] file(String name) {
      return files.get(name);
    }
  }

  /** Reads the files of {@code directory} (a missing one is absent from the snapshot). */
  static Snapshot read(Path directory) throws IOException {
    MessageDigest sha = sha256();
    java.util.Map<String, byte[]> files = new java.util.HashMap<>();
    for (String name : new String[] {GrpcTls.CERTIFICATE_FILE, GrpcTls.PRIVATE_KEY_FILE, GrpcTls.CA_FILE}) {
      sha.update(name.getBytes(StandardCharsets.US_ASCII));
      try {
        byte[] bytes = Files.readAllBytes(directory.resolve(name));
        files.put(name, bytes);
        sha.update((byte) 1);
        sha.update(bytes);
      } catch (NoSuchFileException absent) {
        sha.update((byte) 0);
      }
    }
    return new Snapshot(directory, files, sha.digest());
  }

  /**
   * Reads and checks the directory.
   *
   * @param key the configuration key of the directory, named by every error ({@code grpc.server.tls.dir})
   * @param identityRequired whether {@value GrpcTls#CERTIFICATE_FILE} and {@value GrpcTls#PRIVATE_KEY_FILE} must exist
   * @param caRequired whether {@value GrpcTls#CA_FILE} must exist
   * @throws IllegalArgumentException naming the key, the file and what was expected
   */
  static TlsMaterial load(Path directory, String key, boolean identityRequired, boolean caRequired) {
    try {
      return parse(read(directory), key, identityRequired, caRequired);
    } catch (IOException e) {
      throw new IllegalArgumentException(key + " (" + directory + "): cannot read: " + e, e);
    }
  }

  /** Parses and checks a {@link #read} snapshot; see {@link #load}. */
  static TlsMaterial parse(Snapshot snapshot, String key, boolean identityRequired, boolean caRequired) {
    Path directory = snapshot.directory();
    Path certFile = directory.resolve(GrpcTls.CERTIFICATE_FILE);
    Path keyFile = directory.resolve(GrpcTls.PRIVATE_KEY_FILE);
    Path caFile = directory.resolve(GrpcTls.CA_FILE);
    X509Certificate[] chain = null;
    PrivateKey privateKey = null;
    boolean hasIdentity = snapshot.file(GrpcTls.CERTIFICATE_FILE) != null || snapshot.file(GrpcTls.PRIVATE_KEY_FILE) != null;
    if (identityRequired || hasIdentity) {
      chain = certificates(required(snapshot, GrpcTls.CERTIFICATE_FILE, key, "PEM certificates"), certFile, key);
      privateKey = privateKey(required(snapshot, GrpcTls.PRIVATE_KEY_FILE, key, "a PKCS#8 PEM private key"), keyFile, key);
      checkValidNow(chain[0], certFile, key);
      checkPair(chain[0], privateKey, certFile, keyFile, key);
    }
    X509Certificate[] trusted = null;
    if (caRequired || snapshot.file(GrpcTls.CA_FILE) != null) {
      trusted = certificates(required(snapshot, GrpcTls.CA_FILE, key, "PEM certificates"), caFile, key);
    }
    return new TlsMaterial(chain, privateKey, trusted, snapshot.digest());
  }

  private static X509Certificate[] certificates(byte[] pem, Path file, String key) {
    X509Certificate[] certificates;
    try {
      certificates = CertificateUtils.getX509Certificates(new ByteArrayInputStream(pem));
    } catch (CertificateException | RuntimeException e) {
      throw new IllegalArgumentException(
          key + ": " + file + " is not a PEM certificate (expected -----BEGIN CERTIFICATE-----): " + e.getMessage(), e);
    }
    if (certificates.length == 0) {
      throw new IllegalArgumentException(
          key + ": " + file + " holds no certificate (expected -----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  private static PrivateKey privateKey(byte[] pem, Path file, String key) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
      // cert-manager writes PKCS#1 (RSA) or SEC1 (EC) unless the Certificate asks for PKCS#8.
      throw new IllegalArgumentException(key + ": " + file + " is a "
          + (text.contains("RSA") ? "PKCS#1 RSA" : "SEC1 EC") + " private key; expected PKCS#8"
          + " (-----BEGIN PRIVATE KEY-----): with cert-manager set the Certificate's"
          + " spec.privateKey.encoding: PKCS8, or convert it with openssl pkcs8 -topk8 -nocrypt");
    }
    try {
      return CertificateUtils.getPrivateKey(new ByteArrayInputStream(pem));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      // The exception may quote the input: only its type is named.
      throw new IllegalArgumentException(key + ": " + file
          + " is not a PKCS#8 PEM private key (expected -----BEGIN PRIVATE KEY-----; "
          + e.getClass().getSimpleName() + ")");
    }
  }

  private static byte[] required(Snapshot snapshot, String name, String key, String expected) {
    byte[] bytes = snapshot.file(name);
    if (bytes == null) {
      throw new IllegalArgumentException(key + ": " + snapshot.directory().resolve(name) + " not found; expected "
          + expected + " there (" + GrpcTls.CERTIFICATE_FILE + ", " + GrpcTls.PRIVATE_KEY_FILE + ", " + GrpcTls.CA_FILE
          + ", as a kubernetes.io/tls Secret mounted as a volume)");
    }
    return bytes;
  }

  private static void checkValidNow(X509Certificate leaf, Path file, String key) {
    Instant now = Instant.now();
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      throw new IllegalArgumentException(key + ": " + file + ": the certificate " + describe(leaf)
          + " expired on " + leaf.getNotAfter().toInstant() + "; expected a certificate valid now (" + now + ")");
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      throw new IllegalArgumentException(key + ": " + file + ": the certificate " + describe(leaf)
          + " is not valid before " + leaf.getNotBefore().toInstant() + "; expected a certificate valid now ("
          + now + "): check the clocks");
    }
  }

  /** Signs a challenge with the key and verifies it with the certificate's public key. */
  private static void checkPair(X509Certificate leaf, PrivateKey key, Path certFile, Path keyFile, String configKey) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    boolean matches;
    if (algorithm == null) {
      matches = key.getAlgorithm().equals(leaf.getPublicKey().getAlgorithm());
    } else {
      try {
        byte[] challenge = "pave-tls-pair-check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(leaf.getPublicKey());
        verifier.update(challenge);
        matches = verifier.verify(signature);
      } catch (GeneralSecurityException e) {
        matches = false; // a key of another type than the certificate's cannot verify
      }
    }
    if (!matches) {
      throw new IllegalArgumentException(configKey + ": " + keyFile + " is not the private key of the certificate "
          + describe(leaf) + " in " + certFile + "; expected the pair from one Secret");
    }
  }

  /** Subject, serial and expiry of a certificate, for messages. */
  static String describe(X509Certificate certificate) {
    return "'" + certificate.getSubjectX500Principal().getName() + "' (serial "
        + certificate.getSerialNumber().toString(16) + ", expires " + certificate.getNotAfter().toInstant() + ")";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /** The certificate chain, leaf first; empty when the directory has none (a client without one). */
  Optional<X509Certificate[]> chain() {
    return Optional.ofNullable(chain).map(X509Certificate[]::clone);
  }

  /** The private key of {@link #chain()}; empty with it. */
  Optional<PrivateKey> key() {
    return Optional.ofNullable(key);
  }

  /** The trusted CA certificates; empty when the directory has no {@value GrpcTls#CA_FILE}. */
  Optional<X509Certificate[]> trusted() {
    return Optional.ofNullable(trusted).map(X509Certificate[]::clone);
  }

  /** The leaf certificate; empty without a chain. */
  Optional<X509Certificate> leaf() {
    return Optional.ofNullable(chain).map(c -> c[0]);
  }

  /** Whether the files read now are the ones this material came from. */
  boolean sameFilesAs(byte[] otherDigest) {
    return Arrays.equals(digest, otherDigest);
  }

}
