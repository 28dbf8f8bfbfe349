package dev.pave.config.internal;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.UnsupportedRecipientStanzaException;
import com.exceptionfactory.jagged.framework.armor.ArmoredDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import dev.pave.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/** age file encryption and decryption through Jagged (X25519 recipients), never hand-written crypto. */
public final class AgeFiles {

  private static final String ARMOR_HEADER = "-----BEGIN AGE ENCRYPTED FILE-----";
  private static final String IDENTITY_PREFIX = "AGE-SECRET-KEY-1";

  private AgeFiles() {}

  /**
   * Decrypts {@code file} with the identities in {@code identityFile}.
   *
   * @param key the configuration key naming the file, for problems
   * @throws ConfigException naming the file and what was expected: a missing or empty identity,
   *     a file not encrypted to this identity, a truncated or corrupt file
   */
  public static byte[] decrypt(Path file, Path identityFile, String key) {
    String source = "file " + file.toAbsolutePath();
    if (Files.isDirectory(file)) {
      throw ConfigException.of(key, source, "is a directory; expected an age-encrypted file");
    }
    List<RecipientStanzaReader> readers = identities(identityFile, key, source);
    byte[] encrypted;
    try {
      encrypted = Files.readAllBytes(file);
    } catch (IOException e) {
      throw ConfigException.of(key, source, "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    boolean armored = new String(encrypted, 0, Math.min(encrypted.length, ARMOR_HEADER.length()),
        StandardCharsets.US_ASCII).equals(ARMOR_HEADER);
    try (ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(encrypted));
         ReadableByteChannel decrypted = armored
             ? new ArmoredDecryptingChannelFactory().newDecryptingChannel(in, readers)
             : new StandardDecryptingChannelFactory().newDecryptingChannel(in, readers);
         InputStream plain = Channels.newInputStream(decrypted)) {
      return plain.readAllBytes();
    } catch (UnsupportedRecipientStanzaException e) {
      throw new ConfigException(List.of(new ConfigException.Problem(key, source,
          "cannot be decrypted with the identity in " + identityFile.toAbsolutePath()
              + "; expected a file encrypted to that identity's recipient (ask a teammate to add your public key"
              + " with age -R and re-encrypt) [" + e.getClass().getSimpleName() + ": " + e.getMessage() + "]")));
    } catch (GeneralSecurityException | IOException e) {
      // Jagged reports a damaged header as a GeneralSecurityException (HeaderDecodingException,
      // not public) and a damaged payload as an IOException (PayloadException).
      throw new ConfigException(List.of(new ConfigException.Problem(key, source,
          "is truncated or not an age file; expected a complete age-encrypted file (re-encrypt it with age)"
              + " [" + e.getClass().getSimpleName() + ": " + e.getMessage() + "]")));
    }
  }

  /**
   * Encrypts {@code plaintext} to the given {@code age1...} recipients (binary format, as
   * {@code age -r} writes it).
   */
  public static void encrypt(byte[] plaintext, List<String> recipients, OutputStream out)
      throws IOException, GeneralSecurityException {
    var writers = new ArrayList<RecipientStanzaWriter>();
    for (String recipient : recipients) {
      writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient));
    }
    WritableByteChannel target = Channels.newChannel(out);
    try (WritableByteChannel encrypting = new StandardEncryptingChannelFactory().newEncryptingChannel(target, writers)) {
      encrypting.write(ByteBuffer.wrap(plaintext));
    }
  }

  private static List<RecipientStanzaReader> identities(Path identityFile, String key, String source) {
    if (!Files.isRegularFile(identityFile)) {
      throw ConfigException.of(key, source, "cannot be decrypted: the age identity file " + identityFile.toAbsolutePath()
          + (Files.isDirectory(identityFile) ? " is a directory" : " does not exist")
          + "; expected an identity made by 'age-keygen -o " + identityFile + "' (or set PAVE_AGE_IDENTITY_FILE)");
    }
    var readers = new ArrayList<RecipientStanzaReader>();
    String identitySource = "file " + identityFile.toAbsolutePath();
    try {
      for (String line : Files.readAllLines(identityFile, StandardCharsets.UTF_8)) {
        String trimmed = line.strip();
        if (trimmed.startsWith(IDENTITY_PREFIX)) {
          readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(trimmed));
        }
      }
    } catch (IOException e) {
      throw ConfigException.of(key, identitySource, "the age identity file cannot be read (" + e.getClass().getSimpleName() + ")");
    } catch (GeneralSecurityException | RuntimeException e) {
      throw ConfigException.of(key, identitySource, "the age identity file holds a malformed " + IDENTITY_PREFIX
          + "... line; expected an identity made by age-keygen");
    }
    if (readers.isEmpty()) {
      throw ConfigException.of(key, identitySource, "the age identity file has no " + IDENTITY_PREFIX
          + "... line; expected an identity made by age-keygen");
    }
    return readers;
  }
}
