package dev.pave.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Keeps transport frame loggers below INFO silent whatever their level: at DEBUG, grpc-java's
 * {@code NettyServerHandler}/{@code NettyClientHandler} and Netty's {@code Http2FrameLogger} and
 * {@code LoggingHandler} write every frame, request and response bodies as hex and headers such
 * as {@code cookie} in clear, which no redaction can recognise (security report D6). A runtime
 * level change ({@code POST /loglevel}, {@code ROOT=TRACE}) therefore cannot make payloads reach
 * the log. WARN and ERROR from these classes still pass.
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

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format,
      Object[] params, Throwable t) {
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
}
