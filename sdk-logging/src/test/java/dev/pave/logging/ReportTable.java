package dev.pave.logging;

import java.util.List;

/**
 * The security report's redaction table (section 2.3, cases c01-c116) as data: each row's input,
 * the plaintext that must not reach any output, and, for a known gap, why it is still open. Rows
 * about values rather than text (numeric key-values, MDC, exceptions, field names) are tested
 * where those are rendered: {@code ZeroConfigLoggingTest}, {@code RedactionTest}, {@code
 * RedactorTest}.
 */
public final class ReportTable {

  /** One row; {@code open} is null when the row must be redacted. */
  public record Row(String id, String input, String plaintext, String open) {
    @Override
    public String toString() {
      return id;
    }
  }

  private static Row row(String id, String input, String plaintext) {
    return new Row(id, input, plaintext, null);
  }

  private static Row open(String id, String input, String plaintext, String why) {
    return new Row(id, input, plaintext, why);
  }

  public static final List<Row> ROWS = List.of(
      row("c01", "pan 4111111111111111", "411111111111"),
      row("c02", "pan 4111 1111 1111 1111", "4111 1111 1111"),
      row("c03", "pan 4111-1111-1111-1111", "4111-1111-1111"),
      row("c04", "pan 4111.1111.1111.1111", "4111.1111.1111"),
      row("c05", "pan 4111  1111  1111  1111", "4111  1111  1111"),
      row("c06", "pan 4111 - 1111 - 1111 - 1111", "4111 - 1111 - 1111"),
      row("c07", "pan 4111\t1111\t1111\t1111", "4111\t1111\t1111"),
      row("c08", "pan 4111_1111_1111_1111", "4111_1111_1111"),
      row("c09", "pan 4111/1111/1111/1111", "4111/1111/1111"),
      row("c10", "pan \uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11",
          "\uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11"),
      row("c11", "pan 4111\u200b1111\u200b1111\u200b1111", "4111\u200b1111\u200b1111"),
      row("c12", "pan 4111\u00a01111\u00a01111\u00a01111", "4111\u00a01111\u00a01111"),
      row("c13", "amex 3782 822463 10005", "3782 822463 1"),
      row("c14", "card=4111111111111111&cvv=123", "411111111111"),
      row("c15", "x4111111111111111y", "411111111111"),
      row("c16", "{\"pan\":\"4111111111111111\"}", "411111111111"),
      row("c19", "pan 4111-1111 1111-1111", "4111-1111 1111"),
      row("c30", "authorization: bearer tok30abc", "tok30abc"),
      row("c31", "sent bearer tok31abc", "tok31abc"),
      row("c32", "sent BEARER tok32abc", "tok32abc"),
      row("c33", "Bearer:tok33abc", "tok33abc"),
      row("c34", "Bearer=tok34abc", "tok34abc"),
      row("c35", "{Authorization=[Bearer tok35abc]}", "tok35abc"),
      row("c36", "{authorization=[Basic dG9rMzZhYmM=]}", "dG9rMzZhYmM"),
      row("c37", "sent bearer\ttok37abc", "tok37abc"),
      row("c38", "sent bearer\u00a0tok38abc", "tok38abc"),
      row("c40", "Authorization => Bearer tok40abc", "tok40abc"),
      row("c41", "X-Api-Key: tok41abc", "tok41abc"),
      row("c42", "Cookie: SID=tok42abc", "tok42abc"),
      row("c50", "login password=SECRET50", "SECRET50"),
      row("c51", "{\"password\":\"SECRET51\"}", "SECRET51"),
      row("c52", "{ \"password\" : \"SECRET52\" }", "SECRET52"),
      row("c53", "{\"password\":\"abc\\\"SECRET53\"}", "SECRET53"),
      row("c54", "password=abc SECRET54", "SECRET54"),
      row("c55", "\"password\" => \"SECRET55\"", "SECRET55"),
      row("c56", "<password>SECRET56</password>", "SECRET56"),
      row("c57", "the password is SECRET57", "SECRET57"),
      row("c58", "passphrase=SECRET58", "SECRET58"),
      row("c59", "pass=SECRET59", "SECRET59"),
      row("c60", "pw=SECRET60", "SECRET60"),
      row("c61", "redis://:SECRET61@cache:6379", "SECRET61"),
      row("c62", "https://user:SEC/RET62@host", "RET62"),
      row("c63", "https://user:SEC@RET63@host", "RET63"),
      row("c64", "password%3DSECRET64", "SECRET64"),
      row("c65", "password=abc;SECRET65", "SECRET65"),
      row("c66", "password=abc,SECRET66", "SECRET66"),
      row("c67", "secret_key=SECRET67", "SECRET67"),
      row("c68", "aws_secret_access_key=SECRET68", "SECRET68"),
      row("c69", "access_key=SECRET69", "SECRET69"),
      row("c70", "private_key=-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG70\n-----END PRIVATE KEY-----",
          "MIIEvQIBADANBgkqhkiG70"),
      row("c71", "password=\"SECRET71", "SECRET71"),
      row("c72", "{'password': 'SECRET72'}", "SECRET72"),
      row("c73", "password=[S, E, C, R, E, T, 7, 3]", "S, E, C, R"),
      row("c74", "password=abc SECRET74", "SECRET74"),
      row("c75", "PASSWORD: SECRET75", "SECRET75"),
      row("c76", "password\\u003dSECRET76", "SECRET76"),
      row("c77", "client_secret=SECRET77", "SECRET77"),
      row("c78", "{\"password\":\n\"SECRET78\"}", "SECRET78"),
      row("c79", "password: SECRET79}", "SECRET79"),
      row("c80", "db password 'SECRET80'", "SECRET80"));

  private ReportTable() {}
}
