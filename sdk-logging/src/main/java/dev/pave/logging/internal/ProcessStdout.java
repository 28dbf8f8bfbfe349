package dev.pave.logging.internal;

import ch.qos.logback.core.joran.spi.ConsoleTarget;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Where Pave's log lines go: {@code System.out} until the process is Pave's ({@link #useFileDescriptor()}),
 * then the process's stdout file descriptor itself.
 *
 * <p>Why the switch: {@code System.out} is a {@link java.io.PrintStream}, which swallows write
 * errors, so with stdout on a full disk or on {@code /dev/full} every line was lost without a
 * count or a word (security report D11). Written to the file descriptor, a failed write throws and
 * {@link StreamSink} counts the lines lost. Only when sdk-core runs the service as the process,
 * though: in a test JVM, {@code System.out} may be a test runner's capture (Maven Surefire uses
 * stdout as its channel to the build), which lines must keep going through.
 */
final class ProcessStdout extends OutputStream {

  static final ProcessStdout INSTANCE = new ProcessStdout();

  private volatile OutputStream target = ConsoleTarget.SystemOut.getStream();

  private ProcessStdout() {}

  /** From the next write on, writes go to file descriptor 1, and fail when it fails. */
  void useFileDescriptor() {
    target = new FileOutputStream(FileDescriptor.out);
  }

  @Override
  public void write(int b) throws IOException {
    target.write(b);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    target.write(bytes, offset, length);
  }

  @Override
  public void flush() throws IOException {
    target.flush();
  }

  @Override
  public void close() {
    // stdout outlives every pipeline
  }
}
