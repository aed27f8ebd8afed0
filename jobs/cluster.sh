#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1 for testing: one master and N workers, each a background
# JVM with its pid file and log under var/cluster/<master-port>/.
#
#   jobs/cluster.sh start  [--workers N] [--master-port P] [--webui-port U]
#                          [--cores-per-worker C] [--memory-per-worker M]
#   jobs/cluster.sh status [--master-port P]
#   jobs/cluster.sh stop   [--master-port P]
#
# Defaults: 2 workers, master spark://127.0.0.1:7077, master web UI 8080, 1 core and 2g per worker.
# Then: jobs/run.sh CONFIG --master spark://127.0.0.1:7077
#
# start is idempotent (running daemons are kept, missing ones started) and returns once the master's
# http://127.0.0.1:U/json/ lists N ALIVE workers, or fails after FEDLORA_CLUSTER_TIMEOUT seconds
# (default 90) showing the log tails. stop ends the workers, the executors they launched and the
# master, and deletes the executors' copies of the app jar; the logs (NAME.log, the previous start's
# as NAME.log.1) and the executors' stdout/stderr (worker-I/executors/APP/EXECUTOR/) stay.
# FEDLORA_CLUSTER_DIR replaces var/cluster as the root of the state dirs.
#
# Spark home. A Worker launches executors with a java command that Spark's launcher builds from
# SPARK_HOME: class path = $SPARK_HOME/conf + $SPARK_HOME/jars/*. There is no Spark distribution
# here, so by default the daemons run from a synthetic home, var/cluster/spark-home/, whose jars/
# are links to the jars of target/spark-classpath.txt (the project's own Spark, from ~/.m2), and
# whose conf/ holds the daemons' log4j2.properties. SPARK_SCALA_VERSION=2.13 is exported because the
# launcher otherwise looks for a source build (launcher/target/scala-2.13) in a home without
# bin/load-spark-env.sh. The app jar is not in the home: spark-submit ships it to the executors.
# With SPARK_HOME set (a real distribution), its jars/ and conf/ are used instead, started the same
# way (not with its sbin/ scripts, so that pid files and logs stay under var/cluster/); jobs/run.sh
# then submits with that distribution's bin/spark-submit.
#
# Executors inherit the worker's environment: OMP_NUM_THREADS=1 and SPARK_LOCAL_IP=127.0.0.1.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"

usage() {
  die "usage: jobs/cluster.sh start|stop|status [--workers N] [--master-port P] [--webui-port U]" \
      "[--cores-per-worker C] [--memory-per-worker M]"
}

[[ $# -gt 0 ]] || usage
action="$1"; shift
workers=2 master_port=7077 webui_port=8080 cores=1 memory=2g webui_given=0
while [[ $# -gt 0 ]]; do
  [[ $# -ge 2 ]] || usage
  case "$1" in
    --workers) workers="$2" ;;
    --master-port) master_port="$2" ;;
    --webui-port) webui_port="$2"; webui_given=1 ;;
    --cores-per-worker) cores="$2" ;;
    --memory-per-worker) memory="$2" ;;
    *) usage ;;
  esac
  shift 2
done
for v in "$workers" "$master_port" "$webui_port" "$cores"; do
  [[ "$v" =~ ^[0-9]+$ ]] || die "expected a positive integer, found '$v'"
done
[[ $workers -ge 1 && $cores -ge 1 ]] || die "--workers and --cores-per-worker must be >= 1"
[[ "$memory" =~ ^[0-9]+[mMgG]$ ]] || die "--memory-per-worker must look like 512m or 2g, found '$memory'"

# State (pid files, logs, workers' dirs) of the cluster on this port; FEDLORA_CLUSTER_DIR moves the
# root (the integration tests keep theirs under target/).
ROOT="$(realpath -m "${FEDLORA_CLUSTER_DIR:-$REPO/var/cluster}")"
DIR="$ROOT/$master_port"
MASTER_URL="spark://127.0.0.1:$master_port"
TIMEOUT="${FEDLORA_CLUSTER_TIMEOUT:-90}"
# start records the web UI port; status and stop read it back.
if [[ $webui_given == 0 && -f "$DIR/webui-port" ]]; then webui_port="$(cat "$DIR/webui-port")"; fi
JSON_URL="http://127.0.0.1:$webui_port/json/"

# A pid file names a live process only if that process is the expected daemon of this cluster.
live_pid() {
  local file="$1" pid
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "-Dfedlora.cluster.dir=$DIR " \
    && echo "$pid"
}

# Executors of this cluster: CoarseGrainedExecutorBackend JVMs running in one of its workers' work dirs.
executor_pids() {
  local pid cwd
  for pid in $(pgrep -f org.apache.spark.executor.CoarseGrainedExecutorBackend || true); do
    cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null || true)"
    [[ "$cwd" == "$DIR"/* ]] && echo "$pid"
  done
  return 0
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

alive_workers() {
  local json
  json="$(curl -sf --max-time 2 "$JSON_URL" 2>/dev/null)" || { echo 0; return 0; }
  { grep -o '"state" *: *"ALIVE"' <<<"$json" || true; } | wc -l
}

# The daemons' log4j2 config in the synthetic home: registrations and executor launches at INFO.
DAEMON_LOG4J='rootLogger.level = info
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex
logger.jetty.name = org.sparkproject.jetty
logger.jetty.level = warn
logger.security.name = org.apache.spark.SecurityManager
logger.security.level = warn
logger.resources.name = org.apache.spark.resource.ResourceUtils
logger.resources.level = warn'

# Prints the Spark home the daemons run from: $SPARK_HOME, or the synthetic one (made or refreshed
# when target/spark-classpath.txt changed).
spark_home() {
  if [[ -n "${SPARK_HOME:-}" ]]; then
    [[ -d "$SPARK_HOME/jars" ]] || die "SPARK_HOME=$SPARK_HOME has no jars/ directory"
    echo "$SPARK_HOME"
    return
  fi
  local home="$ROOT/spark-home"
  if ! cmp -s "$SPARK_CP_FILE" "$home/classpath.txt" \
     || [[ "$(cat "$home/conf/log4j2.properties" 2>/dev/null)" != "$DAEMON_LOG4J" ]]; then
    # Built aside and renamed, so a concurrent start never sees a half-made home.
    local tmp="$ROOT/.spark-home.$$" jar
    rm -rf "$tmp" && mkdir -p "$tmp/jars" "$tmp/conf"
    for jar in $(tr ':' ' ' <"$SPARK_CP_FILE"); do ln -s "$jar" "$tmp/jars/$(basename "$jar")"; done
    cp "$SPARK_CP_FILE" "$tmp/classpath.txt"
    echo "Spark jars of target/spark-classpath.txt (links into ~/.m2); synthetic home made by jobs/cluster.sh" \
      >"$tmp/RELEASE"
    echo "$DAEMON_LOG4J" >"$tmp/conf/log4j2.properties"
    rm -rf "$home.old"
    if [[ -d "$home" ]]; then mv "$home" "$home.old"; fi
    mv "$tmp" "$home"
    rm -rf "$home.old"
  fi
  echo "$home"
}

# Runs a Spark daemon class in the background, detached from this shell's session; the previous
# log is kept as NAME.log.1.
launch() {
  local name="$1" home="$2"; shift 2
  local log="$DIR/$name.log" conf="${SPARK_CONF_DIR:-$home/conf}" opts=()
  if [[ -f "$log" ]]; then mv "$log" "$log.1"; fi
  if [[ -f "$conf/log4j2.properties" ]]; then opts+=("-Dlog4j2.configurationFile=$conf/log4j2.properties"); fi
  SPARK_HOME="$home" SPARK_CONF_DIR="$conf" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 OMP_NUM_THREADS=1 \
    setsid java -Xmx512m "-Dfedlora.cluster.dir=$DIR" ${opts[@]+"${opts[@]}"} -Dspark.port.maxRetries=0 \
      -cp "$conf/:$home/jars/*" "$@" >"$log" 2>&1 </dev/null &
  echo $! >"$DIR/$name.pid"
}

show_tails() {
  local f
  for f in "$DIR"/*.log; do
    [[ -f "$f" ]] || continue
    echo "--- tail of $f" >&2
    tail -n 20 "$f" >&2
  done
}

start() {
  ensure_jar
  local home pid i started=0
  home="$(spark_home)"
  mkdir -p "$DIR"
  if [[ -z "$(live_pid "$DIR/master.pid")" ]]; then
    port_busy "$master_port" && die "port $master_port is in use by another process (pick --master-port)"
    port_busy "$webui_port" && die "port $webui_port is in use by another process (pick --webui-port)"
    echo "$webui_port" >"$DIR/webui-port"
    launch master "$home" org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port "$master_port" --webui-port "$webui_port"
    started=1
  elif [[ $webui_given == 1 && "$(cat "$DIR/webui-port")" != "$webui_port" ]]; then
    die "the master on port $master_port already runs with web UI port $(cat "$DIR/webui-port")"
  fi
  for ((i = 1; i <= workers; i++)); do
    [[ -n "$(live_pid "$DIR/worker-$i.pid")" ]] && continue
    mkdir -p "$DIR/worker-$i/executors" "$DIR/worker-$i/local"
    # Worker ports and web UI ports are ephemeral; status lists them.
    SPARK_LOCAL_DIRS="$DIR/worker-$i/local" launch "worker-$i" "$home" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --port 0 --webui-port 0 --cores "$cores" --memory "$memory" \
      --work-dir "$DIR/worker-$i/executors" "$MASTER_URL"
    started=1
  done

  local deadline=$((SECONDS + TIMEOUT)) alive=0
  while true; do
    alive="$(alive_workers)"
    [[ $alive -ge $workers ]] && break
    for name in master $(seq -f 'worker-%g' 1 "$workers"); do
      if [[ -z "$(live_pid "$DIR/$name.pid")" ]]; then
        show_tails
        echo "error: $name (pid file $DIR/$name.pid) exited during start; see $DIR/$name.log" \
          "(the others: jobs/cluster.sh status|stop --master-port $master_port)" >&2
        exit 1
      fi
    done
    if [[ $SECONDS -ge $deadline ]]; then
      show_tails
      echo "error: after ${TIMEOUT}s the master at $JSON_URL reports $alive ALIVE workers, expected $workers" \
        "(daemons left running for inspection: jobs/cluster.sh status|stop --master-port $master_port)" >&2
      exit 1
    fi
    sleep 0.5
  done
  [[ $started == 1 ]] && echo "cluster up: $MASTER_URL, web UI http://127.0.0.1:$webui_port, $alive workers alive" \
    || echo "cluster already up: $MASTER_URL, $alive workers alive"
}

status() {
  local pid name
  if [[ -z "$(live_pid "$DIR/master.pid")" ]]; then
    echo "no master running for port $master_port (state dir $DIR)"
    return 3
  fi
  echo "master:  $MASTER_URL  (pid $(cat "$DIR/master.pid"), web UI http://127.0.0.1:$webui_port, log $DIR/master.log)"
  echo "workers alive: $(alive_workers)"
  for f in "$DIR"/worker-*.pid; do
    [[ -f "$f" ]] || continue
    name="$(basename "$f" .pid)"
    pid="$(live_pid "$f" || true)"
    echo "  $name: $([[ -n "$pid" ]] && echo "pid $pid" || echo "not running")  (log $DIR/$name.log)"
  done
  local execs
  execs="$(executor_pids | tr '\n' ' ')"
  echo "executors: ${execs:-none}"
}

# SIGTERM, then SIGKILL what is still alive after a few seconds.
end_pids() {
  local pids=("$@") p i
  [[ ${#pids[@]} -gt 0 ]] || return 0
  kill "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < 40; i++)); do
    local any=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && any=1; done
    [[ $any == 0 ]] && return 0
    sleep 0.25
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}

stop() {
  [[ -d "$DIR" ]] || { echo "no cluster state under $DIR"; return 0; }
  local execs workers_pids=() f pid
  mapfile -t execs < <(executor_pids)
  for f in "$DIR"/worker-*.pid; do
    [[ -f "$f" ]] || continue
    pid="$(live_pid "$f" || true)"
    [[ -n "$pid" ]] && workers_pids+=("$pid")
  done
  end_pids ${workers_pids[@]+"${workers_pids[@]}"}
  # A worker ends its executors when stopped; these are the ones left (e.g. by a killed worker).
  mapfile -t -O "${#execs[@]}" execs < <(executor_pids)
  local left=()
  for pid in ${execs[@]+"${execs[@]}"}; do kill -0 "$pid" 2>/dev/null && left+=("$pid"); done
  end_pids ${left[@]+"${left[@]}"}
  pid="$(live_pid "$DIR/master.pid" || true)"
  [[ -n "$pid" ]] && end_pids "$pid"
  rm -f "$DIR"/*.pid
  # Each executor fetched its own copy of the app jar (~130 MB); its stdout/stderr stay.
  rm -rf "$DIR"/worker-*/executors/app-*/*/*.jar "$DIR"/worker-*/local/*
  echo "cluster stopped: $MASTER_URL (${#workers_pids[@]} workers, ${#left[@]} leftover executors${pid:+, master})"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
