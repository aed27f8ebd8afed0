# Shared by the job scripts: locate the repo, build the app jar and Spark's class path on demand.
# shellcheck shell=bash
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_JAR="$REPO/target/fedlora-spark-0.1.0-SNAPSHOT-app.jar"
SPARK_CP_FILE="$REPO/target/spark-classpath.txt"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

die() { echo "error: $*" >&2; exit 2; }

# Runs "$@" holding an exclusive lock on var/locks/NAME, so that jobs started together (cron, a CI
# matrix) build the jar, fetch the data or pretrain the base once instead of racing on the same files.
with_lock() {
  local name="$1"; shift
  mkdir -p "$REPO/var/locks"
  if command -v flock >/dev/null; then
    ( flock 9; "$@" ) 9>"$REPO/var/locks/$name.lock"
  else
    "$@"
  fi
}

# Build the application jar when it is missing or older than any source file. FEDLORA_SKIP_BUILD=1
# uses the jar as it is (the integration tests run the jar that `mvn verify` just packaged).
ensure_jar() {
  command -v mvn >/dev/null || die "Maven (mvn) is needed to build the job"
  with_lock build build_if_stale
}

build_if_stale() {
  mkdir -p "$REPO/target"
  if [[ "${FEDLORA_SKIP_BUILD:-0}" == 1 ]]; then
    [[ -f "$APP_JAR" ]] || die "FEDLORA_SKIP_BUILD=1 but $APP_JAR is missing: run mvn -DskipTests package"
  elif [[ ! -f "$APP_JAR" ]] || [[ -n "$(find "$REPO/src/main" "$REPO/pom.xml" -newer "$APP_JAR" -print -quit)" ]]; then
    echo "building ${APP_JAR#"$REPO/"} ..." >&2
    (cd "$REPO" && mvn -B -DskipTests package >"$REPO/target/build.log" 2>&1) \
      || { tail -40 "$REPO/target/build.log" >&2; die "build failed (see target/build.log)"; }
  fi
  if [[ ! -f "$SPARK_CP_FILE" || "$REPO/pom.xml" -nt "$SPARK_CP_FILE" ]]; then
    (cd "$REPO" && mvn -B dependency:build-classpath -Dmdep.includeScope=provided \
       -Dmdep.outputFile="$SPARK_CP_FILE" >"$REPO/target/classpath.log" 2>&1) \
      || { tail -20 "$REPO/target/classpath.log" >&2; die "could not resolve Spark's class path"; }
  fi
}

# The garbage collector of the driver and of every executor. A round allocates short-lived buffers,
# some of them humongous for G1 (Spark's 4 MB broadcast chunks, serialised partials), and under G1
# each of those started a concurrent marking cycle: back-to-back cycles kept a G1 thread busy on
# one of two cores and slowed the task threads (jobs/bench.sh at m = 100 on 2 cores, mean of warm
# rounds 21-60 in five back-to-back pairs: 185-230 ms with the parallel collector against 219-289 ms
# with G1; results/bench-speed/where-time-goes.md). A batch job wants throughput, which the parallel
# collector gives. FEDLORA_GC_OPTS overrides it (e.g. FEDLORA_GC_OPTS=-XX:+UseG1GC).
GC_OPTS="${FEDLORA_GC_OPTS:--XX:+UseParallelGC}"

# The java command line that runs a class with Spark and the app jar on the class path.
app_java() {
  echo java "-Xmx${FEDLORA_DRIVER_MEMORY:-4g}" $GC_OPTS "-Dlog4j2.configurationFile=$REPO/conf/log4j2.properties" \
    -cp "$(cat "$SPARK_CP_FILE"):$APP_JAR"
}

# Fetches the data sets (jobs/fetch-data.sh, idempotent) unless each is in place: an image set's
# first file, a text set's SHA256SUMS (fetch-data.sh moves a text folder into place complete).
ensure_data() {
  local need=0
  for f in fashion-mnist/train-images-idx3-ubyte.gz mnist/train-images-idx3-ubyte.gz \
           text/brown/SHA256SUMS text/sotu/SHA256SUMS text/spam-assassin/SHA256SUMS; do
    [[ -f "$REPO/data/$f" ]] || need=1
  done
  if [[ $need == 1 ]]; then with_lock data "$REPO/jobs/fetch-data.sh"; fi
}

BASE_MODEL_DEFAULT="var/base/mnist-mlp-784-256-256-10.flbm"

ensure_base() {
  if [[ ! -f "$REPO/$BASE_MODEL_DEFAULT" ]]; then with_lock base pretrain_if_missing; fi
}

pretrain_if_missing() {
  # Another job may have pretrained it while this one waited for the lock.
  if [[ ! -f "$REPO/$BASE_MODEL_DEFAULT" ]]; then "$REPO/jobs/pretrain.sh"; fi
}

# A finished run's metrics CSV without its timing columns (round_seconds, client_train_seconds),
# which are the only ones allowed to differ between reruns of one config.
comparable_metrics() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "round_seconds" || $i == "client_train_seconds") skip[i] = 1 }
           { line = ""; sep = ""; for (i = 1; i <= NF; i++) if (!(i in skip)) { line = line sep $i; sep = "," }; print line }' \
    "$1"/metrics.csv/part-*.csv
}
