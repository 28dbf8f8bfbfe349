package dev.pave.grpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in the test (EC P-256, as cert-manager's ECDSA issuers make them): a CA, and
 * leaves for {@code 127.0.0.1}/{@code localhost} valid for server and client authentication.
 * {@link SecretVolume} lays them out as the kubelet mounts a {@code kubernetes.io/tls} Secret and
 * swaps them as it does on an update.
 */
final class TestCertificates {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private TestCertificates() {}

  /** A certificate and its private key. */
  record Issued(X509Certificate certificate, PrivateKey key) {
    String certificatePem() {
      return pem("CERTIFICATE", encoded(certificate));
    }

    String keyPem() {
      return pem("PRIVATE KEY", key.getEncoded()); // the JDK's encoding of a private key is PKCS#8
    }

    /** The files of a Secret issued by {@code ca}: tls.crt, tls.key and ca.crt. */
    Map<String, String> secret(Issued ca) {
      Map<String, String> files = new LinkedHashMap<>();
      files.put(GrpcTls.CERTIFICATE_FILE, certificatePem());
      files.put(GrpcTls.PRIVATE_KEY_FILE, keyPem());
      files.put(GrpcTls.CA_FILE, ca.certificatePem());
      return files;
    }
  }

  static Issued ca(String name) {
    KeyPair pair = keyPair();
    Instant now = Instant.now();
    return sign(new X500Name("CN=" + name), pair, new X500Name("CN=" + name), pair.getPrivate(),
        now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(365)), true);
  }

  /** A leaf for 127.0.0.1 and localhost, valid from 5 minutes ago for {@code validFor}. */
  static Issued leaf(Issued ca, String name, Duration validFor) {
    Instant now = Instant.now();
    return leaf(ca, name, now.minus(Duration.ofMinutes(5)), now.plus(validFor));
  }

  static Issued leaf(Issued ca, String name, Instant notBefore, Instant notAfter) {
    return sign(new X500Name("CN=" + name), keyPair(),
        new X500Name(ca.certificate().getSubjectX500Principal().getName()), ca.key(), notBefore, notAfter, false);
  }

  private static Issued sign(X500Name subject, KeyPair pair, X500Name issuer, PrivateKey issuerKey,
      Instant notBefore, Instant notAfter, boolean isCa) {
    try {
      var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
          Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (isCa) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
      }
      var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
      return new Issued(certificate, pair.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /**
   * A directory as the kubelet mounts a Secret: the files are links {@code tls.crt ->
   * ..data/tls.crt}, {@code ..data} links to a timestamped directory, and an update writes a new
   * directory and then renames a new {@code ..data} link over the old one (one atomic step).
   */
  static final class SecretVolume {
    private final Path root;
    private int generation;

    SecretVolume(Path root, Map<String, String> files) {
      this.root = root;
      try {
        Files.createDirectories(root);
        publish(files);
        for (String name : files.keySet()) {
          Files.createSymbolicLink(root.resolve(name), Path.of("..data", name));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Path path() {
      return root;
    }

    /** Replaces every file at once, as the kubelet does when the Secret changes. */
    void publish(Map<String, String> files) {
      try {
        Path version = root.resolve("..2026_12_04_" + (++generation));
        Files.createDirectory(version);
        for (Map.Entry<String, String> file : files.entrySet()) {
          Files.writeString(version.resolve(file.getKey()), file.getValue());
        }
        Path next = root.resolve("..data_tmp");
        Files.createSymbolicLink(next, version.getFileName());
        Files.move(next, root.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
