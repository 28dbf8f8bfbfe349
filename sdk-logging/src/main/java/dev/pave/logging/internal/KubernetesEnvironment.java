package dev.pave.logging.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The pod name and namespace a process runs in, from the Kubernetes downward API.
 *
 * <p>{@code POD_NAME} and {@code POD_NAMESPACE} (set through {@code fieldRef} in the pod spec) win.
 * Without them, and only inside a cluster ({@code KUBERNETES_SERVICE_HOST} is set), the pod name is
 * {@code HOSTNAME} (Kubernetes sets it to the pod name) and the namespace is read from the service
 * account's namespace file. Outside a cluster {@code HOSTNAME} is a machine name, not a pod, so it
 * is ignored.
 */
public record KubernetesEnvironment(Optional<String> podName, Optional<String> namespace) {

  /** Where Kubernetes mounts the pod's namespace with the service account token. */
  public static final Path NAMESPACE_FILE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  /** Detects from this process's environment. */
  public static KubernetesEnvironment detect() {
    return detect(System.getenv(), NAMESPACE_FILE);
  }

  /** Detects from {@code env} and the namespace file at {@code namespaceFile}. */
  public static KubernetesEnvironment detect(Map<String, String> env, Path namespaceFile) {
    boolean inCluster = present(env.get("KUBERNETES_SERVICE_HOST"));
    Optional<String> pod = nonBlank(env.get("POD_NAME"));
    if (pod.isEmpty() && inCluster) {
      pod = nonBlank(env.get("HOSTNAME"));
    }
    Optional<String> namespace = nonBlank(env.get("POD_NAMESPACE"));
    if (namespace.isEmpty() && inCluster) {
      namespace = readNamespace(namespaceFile);
    }
    return new KubernetesEnvironment(pod, namespace);
  }

  private static Optional<String> readNamespace(Path file) {
    try {
      return Files.isReadable(file) ? nonBlank(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // best effort: the field is optional
    }
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  private static Optional<String> nonBlank(String value) {
    return present(value) ? Optional.of(value.trim()) : Optional.empty();
  }
}
