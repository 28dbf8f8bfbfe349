/**
 * Platform conformance rules that build pipelines run: start with {@link
 * dev.pave.testing.conformance.PlatformRules}; for a service with existing violations, {@link
 * dev.pave.testing.conformance.FrozenPlatformRules}.
 */
package dev.pave.testing.conformance;
