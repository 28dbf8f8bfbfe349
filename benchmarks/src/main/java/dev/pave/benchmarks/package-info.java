/** JMH benchmarks and load generators; see docs/benchmarks.md. */
package dev.pave.benchmarks;
