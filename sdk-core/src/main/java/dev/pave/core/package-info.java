/**
 * Pave's service runtime. Start at {@link dev.pave.core.Pave#service(String)}: a service's {@code
 * main} calls {@code Pave.service("name").run(svc -> ...)} and receives a {@link
 * dev.pave.core.ServiceContext} to register {@link dev.pave.core.LifecycleComponent}s and {@link
 * dev.pave.core.HealthCheck}s, read configuration, and reach metrics and OpenTelemetry.
 *
 * <p>The runtime starts configuration, logging, OpenTelemetry, metrics, health and the admin server
 * before the service's own components, and stops everything in reverse on preStop/SIGTERM within
 * the Kubernetes termination grace period. See {@code docs/core.md}.
 */
package dev.pave.core;
