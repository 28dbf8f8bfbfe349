package dev.pave.logging.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The output stream Pave's appender writes to: passes every byte through to the real output
 * (stdout) and, while someone captures ({@link dev.pave.logging.PaveLogging#capture()}), copies
 * the complete lines to each capture. With no capture open the cost is one volatile read per
 * written event.
 */
public final class LineTap extends OutputStream {

  private static final List<Capture> CAPTURES = new CopyOnWriteArrayList<>();

  private final OutputStream out;

  LineTap(OutputStream out) {
    this.out = out;
  }

  /** Starts copying lines written from now on; {@link Capture#close()} stops it. */
  public static Capture open() {
    Capture capture = new Capture();
    CAPTURES.add(capture);
    return capture;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    out.write(bytes, offset, length);
    if (!CAPTURES.isEmpty()) {
      for (Capture capture : CAPTURES) {
        capture.accept(bytes, offset, length);
      }
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** Lines copied since {@link #open()}; thread-safe. */
  public static final class Capture implements AutoCloseable {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final List<String> lines = new ArrayList<>();

    synchronized void accept(byte[] bytes, int offset, int length) {
      int start = offset;
      int end = offset + length;
      for (int i = offset; i < end; i++) {
        if (bytes[i] == '\n') {
          partial.write(bytes, start, i - start);
          lines.add(partial.toString(StandardCharsets.UTF_8));
          partial.reset();
          start = i + 1;
        }
      }
      partial.write(bytes, start, end - start);
    }

    /** The complete lines copied so far, oldest first. */
    public synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    /** Forgets the lines copied so far. */
    public synchronized void clear() {
      lines.clear();
    }

    @Override
    public void close() {
      CAPTURES.remove(this);
    }
  }
}
