#!/usr/bin/env bash
# sdk-core startup benchmark: time from JVM start to READY, and idle RSS, of a minimal Pave service
# (admin server + OpenTelemetry SDK + Prometheus metrics + JSON logging), as whole processes,
# against a bare JVM running only the JDK HTTP server (the floor), in the same run.
#
#   benchmarks/startup.sh            # from the repository root; needs hyperfine, curl, /usr/bin/time
#
# Variants: default JVM flags; with an AppCDS archive; with AppCDS + C1-only + Serial GC.
# Results go to stdout and benchmarks/target/core-startup/*.md. Loopback only; every loop is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=benchmarks/target/core-startup
PORT=${PORT:-18181}
RUNS=${RUNS:-15}
JAVA=${JAVA:-java}

rm -rf "$OUT"
mkdir -p "$OUT/lib"
# A private, stable classpath: AppCDS archives are tied to the exact jars (path and mtime). Built
# in the reactor (nothing is installed into ~/.m2): sdk-core's runtime dependencies, the Pave
# modules it needs from their target/ directories (test-support's test libraries left out), then
# sdk-core's own jar.
mvn -B -q -pl benchmarks -am package -DskipTests
mvn -B -q -pl sdk-core -am package dependency:copy-dependencies -DskipTests -DincludeScope=runtime \
  -DexcludeGroupIds=org.assertj,org.awaitility,org.hamcrest,net.bytebuddy -DoutputDirectory="$PWD/$OUT/lib"
cp sdk-core/target/sdk-core-0.1.0-SNAPSHOT.jar "$OUT/lib/"
(cd benchmarks/target/classes && jar cf "../core-startup/lib/pave-bench-core.jar" dev/pave/benchmarks/core)
CP=$(ls "$OUT"/lib/*.jar | tr '\n' ':')

PAVE="dev.pave.benchmarks.core.MinimalService"
BARE="dev.pave.benchmarks.core.BareJdkHttpServer"
COMMON="-Dadmin.host=127.0.0.1 -Dadmin.port=$PORT -Dlifecycle.drain-delay=0ms -Dlogging.level.root=WARN"
TUNED="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

# AppCDS: one training run per main class and flag set, dumping the loaded classes at exit.
train() { # name main flags
  "$JAVA" -XX:ArchiveClassesAtExit="$OUT/$1.jsa" $3 $COMMON -Dbench.exit=exit -cp "$CP" "$2" >/dev/null 2>&1
}
train pave "$PAVE" ""
train pave-tuned "$PAVE" "$TUNED"
train bare "$BARE" ""

echo "== time from JVM start to READY (process start to exit right at READY) =="
hyperfine --warmup 2 --runs "$RUNS" --export-markdown "$OUT/ready.md" \
  -n "bare JDK HttpServer" "$JAVA $COMMON -Dbench.exit=halt -cp $CP $BARE" \
  -n "bare JDK HttpServer + AppCDS" "$JAVA -XX:SharedArchiveFile=$OUT/bare.jsa $COMMON -Dbench.exit=halt -cp $CP $BARE" \
  -n "Pave minimal" "$JAVA $COMMON -Dbench.exit=halt -cp $CP $PAVE" \
  -n "Pave minimal + AppCDS" "$JAVA -XX:SharedArchiveFile=$OUT/pave.jsa $COMMON -Dbench.exit=halt -cp $CP $PAVE" \
  -n "Pave minimal + AppCDS + C1 + SerialGC" "$JAVA -XX:SharedArchiveFile=$OUT/pave-tuned.jsa $TUNED $COMMON -Dbench.exit=halt -cp $CP $PAVE"

echo "== Pave's own READY log line: ms from JVM start (RuntimeMXBean) to READY, 10 runs, median =="
ready_ms() { # flags
  for _ in $(seq 1 10); do
    "$JAVA" $1 $COMMON -Dlogging.level.root=INFO -Dbench.exit=exit -cp "$CP" "$PAVE" 2>&1 \
      | grep -o 'READY in [0-9]* ms since JVM start' | grep -o '[0-9]*'
  done | sort -n | awk '{a[NR]=$1} END {printf "median %d ms (min %d, max %d, n=%d)\n", a[int((NR+1)/2)], a[1], a[NR], NR}'
}
{
  echo "| variant | READY since JVM start |"
  echo "|---|---|"
  echo "| Pave minimal | $(ready_ms "") |"
  echo "| Pave minimal + AppCDS | $(ready_ms "-XX:SharedArchiveFile=$OUT/pave.jsa") |"
  echo "| Pave minimal + AppCDS + C1 + SerialGC | $(ready_ms "-XX:SharedArchiveFile=$OUT/pave-tuned.jsa $TUNED") |"
} | tee "$OUT/ready-log.md"

# Idle RSS: start, wait for /readyz 200 (bounded), stay idle 5 s, read VmRSS, SIGTERM.
idle_rss() { # label flags main
  "$JAVA" $2 $COMMON -cp "$CP" "$3" >"$OUT/idle.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.05
  done
  sleep 5
  local rss_kb
  rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  kill -TERM "$pid"
  wait "$pid" || true
  printf '| %s | %d MiB |\n' "$1" $((rss_kb / 1024))
}
echo "== idle RSS, whole process, 5 s after READY =="
{
  echo "| process | idle RSS |"
  echo "|---|---|"
  idle_rss "bare JDK HttpServer" "" "$BARE"
  idle_rss "Pave minimal" "" "$PAVE"
  idle_rss "Pave minimal + AppCDS" "-XX:SharedArchiveFile=$OUT/pave.jsa" "$PAVE"
  idle_rss "Pave minimal + AppCDS + C1 + SerialGC" "-XX:SharedArchiveFile=$OUT/pave-tuned.jsa $TUNED" "$PAVE"
} | tee "$OUT/rss.md"

echo "== peak RSS of a run to READY (/usr/bin/time -v) =="
for flags in "" "-XX:SharedArchiveFile=$OUT/pave-tuned.jsa $TUNED"; do
  /usr/bin/time -v "$JAVA" $flags $COMMON -Dbench.exit=halt -cp "$CP" "$PAVE" 2>&1 >/dev/null \
    | awk -v f="${flags:-default flags}" '/Maximum resident set size/ {printf "%s: %d MiB\n", f, $6/1024}'
done
