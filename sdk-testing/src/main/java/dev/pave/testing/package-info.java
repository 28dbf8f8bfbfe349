/**
 * Pave's test kit for services. Start with {@link dev.pave.testing.PaveTest}: it runs the
 * service's {@code main} in-process and hands each test a {@link dev.pave.testing.PaveTestService}.
 * The conformance rules a build pipeline runs are in {@link dev.pave.testing.conformance}.
 */
package dev.pave.testing;
