/**
 * Whole-service measurements of the samples: {@link dev.pave.benchmarks.samples.RollingRestart},
 * the rolling-restart proof (docs/benchmarks.md, "samples / rolling restart").
 */
package dev.pave.benchmarks.samples;
