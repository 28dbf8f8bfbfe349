#!/usr/bin/env bash
# The Pave demo: starts the payments and checkout samples on 127.0.0.1, places a few orders through
# checkout (each printed with its trace_id), prints the admin URLs of both, then streams both
# services' JSON logs until Ctrl-C, which drains and stops both (exit 0).
#
#   samples/run.sh            # from the repository root, or from anywhere
#   ORDERS=10 samples/run.sh  # more orders
#
# Needs Java 17+ and, on the first run only, Maven (it builds the two jars if they are missing).
# Ports are chosen by the OS; each service prints the ones it got. Logs are kept in a temp dir.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PAYMENTS_JAR="$ROOT/samples/payments/target/payments.jar"
CHECKOUT_JAR="$ROOT/samples/checkout/target/checkout.jar"
ORDERS="${ORDERS:-4}"
READY_TIMEOUT_SECONDS="${READY_TIMEOUT_SECONDS:-60}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [[ ! -f "$PAYMENTS_JAR" || ! -f "$CHECKOUT_JAR" ]]; then
  echo "Building the samples and the SDK modules they need (first run only)..."
  (cd "$ROOT" && mvn -B -q -DskipTests package -pl samples/payments,samples/checkout -am)
fi

# The start command of docs/core.md: each jar's AppCDS archive (made by sdk-parent at package
# time) when present; a JVM other than the one that made it starts without it, silently.
cds() {
  local archive="${1%.jar}.jsa"
  if [[ -f "$archive" ]]; then
    echo "-XX:SharedArchiveFile=$archive -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off"
  fi
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/pave-demo.XXXXXX")"
PAYMENTS_LOG="$WORK/payments.log"
CHECKOUT_LOG="$WORK/checkout.log"
PAYMENTS_PID=""
CHECKOUT_PID=""
TAIL_PID=""

# Environment every sample reads through sdk-config's relaxed binding (docs/config.md).
common_env=(
  GRPC_PORT=0 GRPC_SERVER_HOST=127.0.0.1   # a free port, loopback only
  ADMIN_PORT=0 ADMIN_HOST=127.0.0.1
  LIFECYCLE_DRAIN_DELAY=1s                 # Kubernetes needs ~5s for endpoints to update; here 1s
  SECRETS_DIR="$WORK/no-secret-volume"     # no Kubernetes secret volume on a laptop
  LOGGING_FORMAT=json
)

# Sends SIGTERM (what the kubelet sends) to whatever still runs and waits for it. Returns 1 if a
# service exited with a non-zero status.
stop_all() {
  local status=0 pid
  for pid in "$CHECKOUT_PID" "$PAYMENTS_PID"; do
    [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "$CHECKOUT_PID" "$PAYMENTS_PID"; do
    if [[ -n "$pid" ]]; then
      wait "$pid" || status=1
    fi
  done
  CHECKOUT_PID="" PAYMENTS_PID=""
  if [[ -n "$TAIL_PID" ]]; then
    kill "$TAIL_PID" 2>/dev/null || true
    wait "$TAIL_PID" 2>/dev/null || true
    TAIL_PID=""
  fi
  return "$status"
}

on_interrupt() {
  trap - INT TERM
  echo >&2
  echo "Stopping: both services drain (readiness 503, calls still served), then stop..." >&2
  if stop_all; then
    echo "Both services stopped cleanly (exit 0). Logs: $WORK" >&2
    exit 0
  fi
  echo "A service did not stop cleanly; logs: $WORK" >&2
  exit 1
}

on_exit() {
  local status=$?
  trap - EXIT
  if [[ -n "$PAYMENTS_PID$CHECKOUT_PID" ]]; then
    stop_all || true
    echo "Logs: $WORK" >&2
  fi
  exit "$status"
}
trap on_exit EXIT
trap on_interrupt INT TERM

# wait_ready NAME LOG PID: waits for "READY" in the log, then for /readyz 200; sets GRPC and ADMIN.
wait_ready() {
  local name=$1 log=$2 pid=$3 deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  GRPC="" ADMIN=""
  while (( SECONDS < deadline )); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited during startup; its log ($log):" >&2
      cat "$log" >&2
      return 1
    fi
    # "gRPC server listening on 127.0.0.1:40123 (plaintext)": the port after the last ':' of the address.
    [[ -z "$GRPC" ]] && GRPC="$(grep -o '"message":"gRPC server listening on [^" ]*' "$log" 2>/dev/null | grep -o '[0-9]*$' || true)"
    [[ -z "$ADMIN" ]] && ADMIN="$(grep -o 'admin server on http://[0-9.]*:[0-9]*' "$log" 2>/dev/null | grep -o '[0-9]*$' || true)"
    if [[ -n "$GRPC" && -n "$ADMIN" ]] \
        && [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ADMIN/readyz")" == 200 ]]; then
      return 0
    fi
    sleep 0.2
  done
  echo "$name was not ready within ${READY_TIMEOUT_SECONDS}s; its log ($log):" >&2
  cat "$log" >&2
  return 1
}

echo "Starting payments..."
env "${common_env[@]}" \
  SECRETS_LOCAL_FILE="$ROOT/samples/payments/demo/secrets.local.age" \
  PAVE_AGE_IDENTITY_FILE="$ROOT/samples/payments/demo/demo-age-identity.txt" \
  "$JAVA" $(cds "$PAYMENTS_JAR") -XX:+ExitOnOutOfMemoryError -jar "$PAYMENTS_JAR" >"$PAYMENTS_LOG" 2>&1 &
PAYMENTS_PID=$!
wait_ready payments "$PAYMENTS_LOG" "$PAYMENTS_PID"
PAYMENTS_GRPC=$GRPC PAYMENTS_ADMIN=$ADMIN

echo "Starting checkout (calls payments at 127.0.0.1:$PAYMENTS_GRPC)..."
env "${common_env[@]}" \
  GRPC_CLIENTS_PAYMENTS_TARGET="dns:///127.0.0.1:$PAYMENTS_GRPC" \
  "$JAVA" $(cds "$CHECKOUT_JAR") -XX:+ExitOnOutOfMemoryError -jar "$CHECKOUT_JAR" >"$CHECKOUT_LOG" 2>&1 &
CHECKOUT_PID=$!
wait_ready checkout "$CHECKOUT_LOG" "$CHECKOUT_PID"
CHECKOUT_GRPC=$GRPC CHECKOUT_ADMIN=$ADMIN

echo
echo "Placing $ORDERS orders through checkout (DemoClient):"
if ! "$JAVA" -cp "$CHECKOUT_JAR" dev.pave.samples.checkout.DemoClient \
    "dns:///127.0.0.1:$CHECKOUT_GRPC" "$ORDERS"; then
  echo "Some orders failed (see the WARN lines above); the services keep running."
fi

cat <<EOF

  payments  gRPC 127.0.0.1:$PAYMENTS_GRPC   http://127.0.0.1:$PAYMENTS_ADMIN/readyz   http://127.0.0.1:$PAYMENTS_ADMIN/metrics   http://127.0.0.1:$PAYMENTS_ADMIN/info
  checkout  gRPC 127.0.0.1:$CHECKOUT_GRPC   http://127.0.0.1:$CHECKOUT_ADMIN/readyz   http://127.0.0.1:$CHECKOUT_ADMIN/metrics   http://127.0.0.1:$CHECKOUT_ADMIN/info

Each order's trace_id is on its lines in both services' logs below (grep it in $WORK/*.log).
Streaming both services' JSON logs; Ctrl-C drains and stops both.

EOF

tail -q -n +1 -F "$PAYMENTS_LOG" "$CHECKOUT_LOG" &
TAIL_PID=$!
wait "$TAIL_PID"
