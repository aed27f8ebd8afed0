#!/usr/bin/env bash
# Worker-kill fault test: a run survives losing a worker and its executor mid-run, with results
# identical to an undisturbed run.
#
#   jobs/fault-worker-kill.sh [--master-port P] [--webui-port U] [--out DIR] [--kill-after-round R]
#                             [key=value ...]
#
# 1. starts its own 2-worker standalone cluster (jobs/cluster.sh; default ports 7277 / 8280, refused
#    if a cluster already runs there, because one of its workers gets killed);
# 2. runs the experiment undisturbed on it           -> DIR/reference/   (default DIR work/fault-worker-kill)
# 3. runs it again and, once the progress log shows round R done (default 2), kill -9's worker-2
#    and the executor JVM that worker launched        -> DIR/faulty/
# 4. checks that the faulty run succeeded and that its metrics (every column but round_seconds)
#    and every adapters/*.npy file equal the reference's; stops the cluster (also on failure).
# Exit 0 when they match, 1 when they differ or a run failed. Logs: DIR/*.log.
#
# The experiment is conf/quickstart.conf with replication_pad (rank tiers 4/8/16), cut to 8 rounds of
# 8 clients (3 local epochs) in 2 tasks, one per worker; extra key=value overrides (e.g. model.base=...) apply to both
# runs. The kill waits until the executor is busy (CPU), i.e. inside a task; the faulty run's event
# log (DIR/faulty-events) then shows the tasks lost with the executor and their re-runs.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"

master_port=7277 webui_port=8280 out="$REPO/work/fault-worker-kill" kill_after=2
overrides=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --master-port) master_port="$2"; shift 2 ;;
    --webui-port) webui_port="$2"; shift 2 ;;
    --out) out="$(realpath -m "$2")"; shift 2 ;;
    --kill-after-round) kill_after="$2"; shift 2 ;;
    *=*) overrides+=("$1"); shift ;;
    *) die "usage: jobs/fault-worker-kill.sh [--master-port P] [--webui-port U] [--out DIR]" \
         "[--kill-after-round R] [key=value ...]" ;;
  esac
done
[[ "$kill_after" =~ ^[0-9]+$ ]] || die "--kill-after-round must be a round number, found '$kill_after'"

cluster=(--master-port "$master_port" --webui-port "$webui_port")
master="spark://127.0.0.1:$master_port"
state="$REPO/work/cluster/$master_port"
experiment=(conf/quickstart.conf experiment.name=fault-worker-kill experiment.rounds=8
  strategy.name=replication_pad data.train-limit=20000 data.test-limit=2000 clients.per-round=8
  train.epochs=3 engine.tasks-per-round=2 eval.partitions=2 output.save-adapters=true
  ${overrides[@]+"${overrides[@]}"})

log() { echo "[fault-worker-kill $(date +%T)] $*"; }

if jobs/cluster.sh status "${cluster[@]}" >/dev/null; then
  die "a cluster already runs on port $master_port; this test kills one of its workers: pick another --master-port"
fi
run_pid=""
cleanup() {
  # The faulty run's subshell and the driver JVM it started.
  [[ -n "$run_pid" ]] && kill $(pgrep -P "$run_pid") "$run_pid" 2>/dev/null
  jobs/cluster.sh stop "${cluster[@]}" >/dev/null || true
}
trap cleanup EXIT
trap 'exit 143' TERM INT

rm -rf "$out" && mkdir -p "$out"
jobs/cluster.sh start --workers 2 --cores-per-worker 1 "${cluster[@]}"

# Runs the experiment on the cluster into $out/$1, logging to $out/$1.log.
submit() {
  mkdir -p "$out/$1-events"
  jobs/run.sh "${experiment[@]}" "output.dir=\"$out/$1\"" --master "$master" --conf spark.driver.host=127.0.0.1 \
    --conf spark.eventLog.enabled=true --conf spark.eventLog.compress=false \
    --conf "spark.eventLog.dir=$out/$1-events" >"$out/$1.log" 2>&1
}

log "reference run (undisturbed) -> $out/reference"
t0=$SECONDS
submit reference || { tail -30 "$out/reference.log"; die "the reference run failed (see $out/reference.log)"; }
log "reference run done in $((SECONDS - t0))s"

log "faulty run -> $out/faulty; will kill worker-2 after round $kill_after"
t0=$SECONDS
submit faulty &
run_pid=$!
rounds_line="] round $kill_after/"
while ! grep -q -- "$rounds_line" "$out/faulty.log" 2>/dev/null; do
  kill -0 "$run_pid" 2>/dev/null || { tail -30 "$out/faulty.log"; die "the faulty run ended before round $kill_after"; }
  [[ $((SECONDS - t0)) -lt 600 ]] || die "no round $kill_after after 600s (see $out/faulty.log)"
  sleep 0.2
done
worker_pid="$(cat "$state/worker-2.pid")"
executors=()
for pid in $(pgrep -f org.apache.spark.executor.CoarseGrainedExecutorBackend || true); do
  cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null || true)"
  [[ "$cwd" == "$state/worker-2/work/"* ]] && executors+=("$pid:${cwd#"$state/worker-2/work/"}")
done
[[ ${#executors[@]} -eq 1 ]] || die "expected one executor under worker-2, found: ${executors[*]:-none}"
executor_pid="${executors[0]%%:*}"
app_id="${executors[0]#*:}" && app_id="${app_id%%/*}"
executor_id="${executors[0]##*/}"
# Kill while the executor runs a task, so that a task is lost in flight: wait until the executor JVM
# uses >= 60% of a core over 0.1 s (a training task keeps one core busy, an idle executor next to
# nothing), or kill anyway after 60 s. The event log shows afterwards which tasks were lost.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$executor_pid/stat" 2>/dev/null || echo 0; }
in_task=0
ticks="$(cpu_ticks)"
for ((i = 0; i < 600; i++)); do
  sleep 0.1
  now="$(cpu_ticks)"
  (( now - ticks >= 6 )) && { in_task=1; break; }
  ticks="$now"
done
kill -9 "$worker_pid" "$executor_pid"
log "after round $kill_after ($((SECONDS - t0))s into the run): kill -9 worker-2 (pid $worker_pid)" \
  "and its executor (pid $executor_pid, $app_id executor $executor_id)," \
  "$([[ $in_task == 1 ]] && echo "which was busy computing" || echo "NOT seen busy")"
grep -E '\] round [0-9]+/' "$out/faulty.log" | tail -1 | cut -c1-140
sleep 2
jobs/cluster.sh status "${cluster[@]}" | grep -E 'alive|executors' || true

status=0
wait "$run_pid" || status=$?
run_pid=""
log "faulty run ended with exit code $status after $((SECONDS - t0))s"
log "driver log lines about the loss:"
grep -E 'Lost executor|lost' "$out/faulty.log" | cut -c1-200 | head -5 || true
# Spark logs a task lost with its executor at INFO only; the event log has every task's end.
task_ends() {
  local re='"Stage ID":([0-9]+),.*"Task End Reason":\{"Reason":"([A-Za-z]+)".*"Task Info":\{"Task ID":([0-9]+),"Index":([0-9]+),"Attempt":([0-9]+),.*"Launch Time":([0-9]+),"Executor ID":"([0-9]+)"'
  local line
  find "$out/faulty-events" -type f -name 'events_*' -exec grep -h '"Event":"SparkListenerTaskEnd"' {} + |
  while IFS= read -r line; do
    [[ "$line" =~ $re ]] && echo "stage ${BASH_REMATCH[1]} partition ${BASH_REMATCH[4]} attempt ${BASH_REMATCH[5]}" \
      "executor ${BASH_REMATCH[7]} ${BASH_REMATCH[2]} (TID ${BASH_REMATCH[3]}, launched $(date -d "@${BASH_REMATCH[6]:0:10}" +%T))"
  done
  return 0
}
task_ends >"$out/faulty-tasks.txt"
lost="$(grep -c ExecutorLostFailure "$out/faulty-tasks.txt" || true)"
log "$lost task(s) ended with ExecutorLostFailure (event log), and their re-runs:"
grep ExecutorLostFailure "$out/faulty-tasks.txt" | while read -r _ stage _ partition _; do
  grep -E "^stage $stage partition $partition " "$out/faulty-tasks.txt" | sed 's/^/  /'
done || true
grep -E '\] round [0-9]+/' "$out/faulty.log" | cut -c1-140
[[ $status == 0 ]] || { tail -30 "$out/faulty.log"; log "FAILED: the faulty run did not finish"; exit 1; }

# Metrics CSV without the round_seconds column.
metrics() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "round_seconds") skip = i }
           { line = ""; sep = ""; for (i = 1; i <= NF; i++) if (i != skip) { line = line sep $i; sep = "," }; print line }' \
    "$1"/fault-worker-kill/metrics.csv/part-*.csv
}
same=1
if ! diff <(metrics "$out/reference") <(metrics "$out/faulty") >"$out/metrics.diff"; then
  same=0
  log "metrics differ (besides round_seconds):"
  cat "$out/metrics.diff"
fi
ref_adapters="$out/reference/fault-worker-kill/adapters" faulty_adapters="$out/faulty/fault-worker-kill/adapters"
count="$(find "$ref_adapters" -name '*.npy' | wc -l)"
if [[ $count == 0 ]] || ! diff -r -q "$ref_adapters" "$faulty_adapters"; then
  same=0
  log "adapters differ ($count files in the reference)"
fi
if [[ $same == 1 ]]; then
  log "PASSED: metrics ($(metrics "$out/faulty" | tail -n +2 | wc -l) rows, all columns but round_seconds)" \
    "and $count adapter files identical to the undisturbed run"
  exit 0
fi
log "FAILED: results differ from the undisturbed run"
exit 1
