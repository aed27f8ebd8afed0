#!/usr/bin/env bash
# Worker-kill fault test: a run on a standalone cluster survives losing a worker and its executor
# mid-run, with results identical to an undisturbed run.
#
#   jobs/fault-worker-kill.sh [--master-port P] [--webui-port U] [--out DIR] [--kill-after-round R]
#                             [--reference-master URL] [key=value ...]
#
# 1. starts its own 2-worker cluster with jobs/cluster.sh (default ports 7277 / 8280; refused if a
#    cluster already runs there, because one of its workers gets killed);
# 2. runs the experiment undisturbed on it -> DIR/reference/ (DIR: default var/fault-worker-kill,
#    emptied first).
#    With --reference-master (e.g. local[2]) the reference runs there instead, at the same time as 3;
# 3. runs it on the cluster -> DIR/faulty/, and once the progress log shows round R (default 2)
#    done and worker-2's executor is busy in a task, kill -9's worker-2 and that executor JVM;
# 4. checks that the faulty run finished, and that its metrics (every column but the timing ones,
#    round_seconds and client_train_seconds) and every adapters/*.npy file equal the reference's.
# The cluster is stopped at the end, also on failure. Exit 0 when the results match, 1 when they
# differ or a run failed. Logs: DIR/*.log; the faulty run's Spark event log: DIR/faulty-events/.
#
# The experiment is conf/tiers.conf with replication_pad (rank tiers 4/8/16), cut to 8 rounds
# of 8 clients (3 local epochs) in 2 tasks, one per worker; extra key=value overrides (e.g.
# model.base=...) apply to both runs.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"

master_port=7277 webui_port=8280 out="$REPO/var/fault-worker-kill" kill_after=2 reference_master=""
overrides=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --master-port) master_port="$2"; shift 2 ;;
    --webui-port) webui_port="$2"; shift 2 ;;
    --out) out="$(realpath -m "$2")"; shift 2 ;;
    --kill-after-round) kill_after="$2"; shift 2 ;;
    --reference-master) reference_master="$2"; shift 2 ;;
    *=*) overrides+=("$1"); shift ;;
    *) die "usage: jobs/fault-worker-kill.sh [--master-port P] [--webui-port U] [--out DIR]" \
         "[--kill-after-round R] [--reference-master URL] [key=value ...]" ;;
  esac
done
[[ "$kill_after" =~ ^[0-9]+$ ]] || die "--kill-after-round must be a round number, found '$kill_after'"

name=fault-worker-kill
cluster=(--master-port "$master_port" --webui-port "$webui_port")
master="spark://127.0.0.1:$master_port"
state="$(realpath -m "${FEDLORA_CLUSTER_DIR:-$REPO/var/cluster}")/$master_port"  # jobs/cluster.sh keeps its state there
experiment=(conf/tiers.conf "experiment.name=$name" experiment.rounds=8 strategy.name=replication_pad
  data.train-limit=20000 data.test-limit=2000 clients.per-round=8 train.epochs=3 engine.tasks-per-round=2
  eval.partitions=2 output.save-adapters=true ${overrides[@]+"${overrides[@]}"})
log() { echo "[fault-worker-kill $(date +%T)] $*"; }

if jobs/cluster.sh status "${cluster[@]}" >/dev/null; then
  die "a cluster already runs on port $master_port; this test kills one of its workers: pick another --master-port"
fi
background=()
cleanup() {
  # Background runs: their subshells and the driver JVMs these started.
  local p
  for p in ${background[@]+"${background[@]}"}; do kill $(pgrep -P "$p") "$p" 2>/dev/null; done
  jobs/cluster.sh stop "${cluster[@]}" >/dev/null || true
}
trap cleanup EXIT
trap 'exit 143' TERM INT

rm -rf "$out" && mkdir -p "$out"
jobs/cluster.sh start --workers 2 --cores-per-worker 1 "${cluster[@]}"

# submit NAME MASTER: the experiment into $out/NAME, logging to $out/NAME.log, Spark event log in
# $out/NAME-events.
submit() {
  mkdir -p "$out/$1-events"
  jobs/run.sh "${experiment[@]}" "output.dir=\"$out/$1\"" --master "$2" --conf spark.driver.host=127.0.0.1 \
    --conf spark.eventLog.enabled=true --conf spark.eventLog.compress=false \
    --conf "spark.eventLog.dir=$out/$1-events" >"$out/$1.log" 2>&1
}

t0=$SECONDS
reference_pid=""
if [[ -z "$reference_master" ]]; then
  log "reference run (undisturbed) on $master -> $out/reference"
  submit reference "$master" || { tail -30 "$out/reference.log"; die "the reference run failed (see $out/reference.log)"; }
  log "reference run done in $((SECONDS - t0))s"
else
  log "reference run (undisturbed) on $reference_master, alongside the faulty run -> $out/reference"
  submit reference "$reference_master" &
  reference_pid=$!
  background+=("$reference_pid")
fi

log "faulty run on $master -> $out/faulty; kills worker-2 after round $kill_after"
t0=$SECONDS
submit faulty "$master" &
faulty_pid=$!
background+=("$faulty_pid")
while ! grep -q -- "] round $kill_after/" "$out/faulty.log" 2>/dev/null; do
  kill -0 "$faulty_pid" 2>/dev/null || { tail -30 "$out/faulty.log"; die "the faulty run ended before round $kill_after"; }
  [[ $((SECONDS - t0)) -lt 600 ]] || die "no round $kill_after after 600s (see $out/faulty.log)"
  sleep 0.1
done

# worker-2's executor: the CoarseGrainedExecutorBackend running in worker-2's work dir (<app>/<id>).
worker_pid="$(cat "$state/worker-2.pid")"
executor_pid="" executor_dir=""
for pid in $(pgrep -f org.apache.spark.executor.CoarseGrainedExecutorBackend || true); do
  cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null || true)"
  if [[ "$cwd" == "$state/worker-2/executors/"* ]]; then
    [[ -z "$executor_pid" ]] || die "more than one executor under worker-2: $executor_pid and $pid"
    executor_pid="$pid" executor_dir="${cwd#"$state/worker-2/executors/"}"
  fi
done
[[ -n "$executor_pid" ]] || die "no executor JVM runs under $state/worker-2/executors"

# Kill while the executor runs a task, so that a task is lost in flight: wait until the executor JVM
# uses >= 30% of a core over 0.1 s (a training task keeps a core busy, an idle executor uses next to
# nothing), or kill anyway after 60 s. The event log shows afterwards which tasks were lost.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$executor_pid/stat" 2>/dev/null || echo 0; }
busy=0 ticks="$(cpu_ticks)"
for ((i = 0; i < 600; i++)); do
  sleep 0.1
  now="$(cpu_ticks)"
  (( now - ticks >= 3 )) && { busy=1; break; }
  ticks="$now"
done
kill -9 "$worker_pid" "$executor_pid"
log "$((SECONDS - t0))s into the run: kill -9 worker-2 (pid $worker_pid) and its executor (pid $executor_pid," \
  "${executor_dir%%/*} executor ${executor_dir##*/}), $([[ $busy == 1 ]] && echo "busy in a task" || echo "NOT seen busy")"
log "last progress line before the kill: $(grep -E '\] round [0-9]+/' "$out/faulty.log" | tail -1 | cut -c10-100)"
sleep 2
jobs/cluster.sh status "${cluster[@]}" | grep -E 'alive|executors' | sed 's/^/  /' || true

status=0
wait "$faulty_pid" || status=$?
log "faulty run ended with exit code $status, $((SECONDS - t0))s after it started"
if [[ -n "$reference_pid" ]]; then
  wait "$reference_pid" || { tail -30 "$out/reference.log"; log "FAILED: the reference run failed"; exit 1; }
  log "reference run done"
fi
background=()
grep -E 'Lost executor' "$out/faulty.log" | cut -c1-200 | sed 's/^/  driver: /' || true
# The surviving executor may have been fetching a broadcast piece from the dead one.
grep -h -E '^[0-9:]+ (WARN|ERROR) (BlockManager|RetryingBlockTransferor)' \
  "$state/worker-1/executors/${executor_dir%%/*}"/*/stdout 2>/dev/null | cut -c1-200 | sed 's/^/  worker-1 executor: /' || true

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
log "$(grep -c ExecutorLostFailure "$out/faulty-tasks.txt" || true) task(s) lost with the executor" \
  "(ExecutorLostFailure in the event log), each with its attempts:"
grep ExecutorLostFailure "$out/faulty-tasks.txt" | while read -r _ stage _ partition _; do
  grep -E "^stage $stage partition $partition " "$out/faulty-tasks.txt" | sed 's/^/  /'
done || true
[[ $status == 0 ]] || { tail -30 "$out/faulty.log"; log "FAILED: the faulty run did not finish"; exit 1; }

same=1
if ! diff <(comparable_metrics "$out/reference/$name") <(comparable_metrics "$out/faulty/$name") >"$out/metrics.diff"; then
  same=0
  log "metrics differ (besides the timing columns):"
  cat "$out/metrics.diff"
fi
adapters="$(find "$out/reference/$name/adapters" -name '*.npy' | wc -l)"
if [[ $adapters == 0 ]] || ! diff -r -q "$out/reference/$name/adapters" "$out/faulty/$name/adapters"; then
  same=0
  log "adapters differ ($adapters files in the reference)"
fi
if [[ $same == 1 ]]; then
  log "PASSED: metrics ($(comparable_metrics "$out/faulty/$name" | tail -n +2 | wc -l) rows, every column but" \
    "the timing ones) and $adapters adapter files identical to the undisturbed run"
  exit 0
fi
log "FAILED: results differ from the undisturbed run"
exit 1
