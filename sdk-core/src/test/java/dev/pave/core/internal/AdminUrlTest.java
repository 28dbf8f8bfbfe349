package dev.pave.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The admin address in the READY line is a URL a person can paste (security report D18). */
class AdminUrlTest {

  @Test
  void wildcardBindsPrintTheLoopbackUrl_ipv6LiteralsAreBracketed() {
    assertThat(AdminServer.url(new InetSocketAddress("0.0.0.0", 8081)))
        .isEqualTo("http://127.0.0.1:8081 (listening on all interfaces)");
    assertThat(AdminServer.url(new InetSocketAddress("::", 8081)))
        .isEqualTo("http://127.0.0.1:8081 (listening on all interfaces)");
    assertThat(AdminServer.url(new InetSocketAddress("::1", 8081))).isEqualTo("http://[0:0:0:0:0:0:0:1]:8081");
    assertThat(AdminServer.url(new InetSocketAddress("127.0.0.1", 9))).isEqualTo("http://127.0.0.1:9");
  }
}
