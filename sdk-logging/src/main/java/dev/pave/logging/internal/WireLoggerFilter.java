package dev.pave.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Marker;

/**
 * Keeps transport frame loggers below INFO silent whatever their level: at DEBUG, grpc-java's
 * {@code NettyServerHandler}/{@code NettyClientHandler} and Netty's {@code Http2FrameLogger} and
 * {@code LoggingHandler} write every frame, request and response bodies as hex and headers such
 * as {@code cookie} in clear, which no redaction can recognise (security report D6). A runtime
 * level change ({@code POST /loglevel}, {@code ROOT=TRACE}) therefore cannot make payloads reach
 * the log. WARN and ERROR from these classes still pass, except one kind:
 *
 * <p>A peer's malformed stream ({@code grpc-timeout: abc}, a bad header) made grpc-java's {@code
 * NettyServerHandler} write two WARN lines with stack traces, about 5 KB, per request: anyone who
 * can reach the port could fill the log at WARN (security report D10). The stream is refused with
 * {@code RST_STREAM} either way; those two lines ({@code Exception in onHeadersRead()} with an
 * {@link IllegalArgumentException}, {@code Stream Error} with an HTTP/2 stream exception) are
 * dropped and counted instead ({@link #peerStreamErrors()}, the metric {@code
 * pave_logging_peer_stream_errors_total}).
 */
final class WireLoggerFilter extends TurboFilter {

  /** Loggers (and their children) that write frames at DEBUG/TRACE, shaded and unshaded. */
  static final List<String> WIRE_LOGGERS = List.of(
      "io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler",
      "io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler",
      "io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameLogger",
      "io.grpc.netty.shaded.io.netty.handler.logging.LoggingHandler",
      "io.grpc.netty.NettyServerHandler",
      "io.grpc.netty.NettyClientHandler",
      "io.netty.handler.codec.http2.Http2FrameLogger",
      "io.netty.handler.logging.LoggingHandler");

  /** The server-side handlers whose peer stream errors are counted, not logged. */
  private static final List<String> SERVER_HANDLERS = List.of(
      "io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler", "io.grpc.netty.NettyServerHandler");

  private static final LongAdder PEER_STREAM_ERRORS = new LongAdder();

  /** WARN lines about a peer's malformed HTTP/2 stream dropped since the JVM started. */
  static long peerStreamErrors() {
    return PEER_STREAM_ERRORS.sum();
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format,
      Object[] params, Throwable t) {
    if (level == Level.WARN && t != null && logger != null && isPeerStreamError(t)
        && SERVER_HANDLERS.contains(logger.getName())) {
      PEER_STREAM_ERRORS.increment();
      return FilterReply.DENY;
    }
    if (level == null || level.levelInt >= Level.INFO_INT || logger == null) {
      return FilterReply.NEUTRAL;
    }
    String name = logger.getName();
    for (String wire : WIRE_LOGGERS) {
      if (name.startsWith(wire)
          && (name.length() == wire.length() || name.charAt(wire.length()) == '.'
              || name.charAt(wire.length()) == '$')) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }

  /** A header the peer sent that does not parse, or the HTTP/2 stream error it leads to. */
  private static boolean isPeerStreamError(Throwable t) {
    return t instanceof IllegalArgumentException || t.getClass().getName().endsWith("Http2Exception$StreamException");
  }
}
