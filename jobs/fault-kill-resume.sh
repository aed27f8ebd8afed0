#!/usr/bin/env bash
# Kill-and-resume fault test: a run killed with SIGKILL mid-way leaves its run lock (_LOCK) behind;
# started again with the same command, it takes the dead run's lock over, resumes from its last
# checkpoint and ends with the same metrics and adapters as an undisturbed run, with no duplicated or
# missing rows, and releases the lock; a further rerun is a no-op.
#
#   jobs/fault-kill-resume.sh [--out DIR] [--kill-after-round R] [--master URL] [key=value ...]
#
# Runs in local[2] unless --master is given. Overrides such as strategy.name=fedsa_lora
# clients.ranks.policy=fixed test a strategy whose clients keep state: its state files must match too. Exit 0 when everything matches, 1 otherwise.
# Logs and outputs under DIR (default var/fault-kill-resume).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"

out="$REPO/var/fault-kill-resume" kill_after=3 master="local[2]"
overrides=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$(realpath -m "$2")"; shift 2 ;;
    --kill-after-round) kill_after="$2"; shift 2 ;;
    --master) master="$2"; shift 2 ;;
    *=*) overrides+=("$1"); shift ;;
    *) die "usage: jobs/fault-kill-resume.sh [--out DIR] [--kill-after-round R] [--master URL] [key=value ...]" ;;
  esac
done
[[ "$kill_after" =~ ^[0-9]+$ ]] || die "--kill-after-round must be a round number, found '$kill_after'"

name=kill-resume
experiment=(conf/tiers.conf "experiment.name=$name" experiment.rounds=8 strategy.name=replication_pad
  data.train-limit=20000 data.test-limit=2000 clients.per-round=8 train.epochs=3 engine.tasks-per-round=4
  eval.partitions=2 output.save-adapters=true output.checkpoint-every=2 ${overrides[@]+"${overrides[@]}"})
log() { echo "[fault-kill-resume $(date +%T)] $*"; }

run_pid=""
trap '[[ -n "$run_pid" ]] && kill -9 "$run_pid" 2>/dev/null; true' EXIT
rm -rf "$out" && mkdir -p "$out"
ensure_jar

run() {  # run DIR LOG: the experiment with its outputs under DIR
  jobs/run.sh "${experiment[@]}" "output.dir=\"$1\"" --master "$master" >>"$2" 2>&1
}

log "reference run (undisturbed) -> $out/reference"
run "$out/reference" "$out/reference.log" || { tail -30 "$out/reference.log"; die "the reference run failed"; }

log "killed run -> $out/killed; SIGKILL once round $kill_after is done"
# Started directly (not through run()), so that $! is run.sh itself, which execs the driver JVM.
jobs/run.sh "${experiment[@]}" "output.dir=\"$out/killed\"" --master "$master" >>"$out/killed.log" 2>&1 &
run_pid=$!
t0=$SECONDS
while ! grep -q -- "] round $kill_after/" "$out/killed.log" 2>/dev/null; do
  kill -0 "$run_pid" 2>/dev/null || { tail -30 "$out/killed.log"; die "the run ended before round $kill_after"; }
  [[ $((SECONDS - t0)) -lt 600 ]] || die "no round $kill_after after 600s"
  sleep 0.1
done
[[ "$(cat "/proc/$run_pid/comm" 2>/dev/null)" == java ]] || die "pid $run_pid is not the driver JVM"
kill -9 "$run_pid"
wait "$run_pid" 2>/dev/null || true
killed_pid=$run_pid run_pid=""
log "killed the driver (pid, SIGKILL) after: $(grep -E '\] round [0-9]+/' "$out/killed.log" | tail -1 | cut -c1-90)"
failed=0
if [[ -f "$out/killed/$name/_SUCCESS" ]]; then log "FAIL: the killed run left a _SUCCESS marker"; failed=1; fi
log "checkpoints left: $(ls "$out/killed/$name/checkpoints" 2>/dev/null | tr '\n' ' ')"
lock="$out/killed/$name/_LOCK"
if [[ ! -f "$lock" ]]; then log "FAIL: the killed run left no $lock"; failed=1
elif ! grep -qx "pid=$killed_pid" "$lock"; then log "FAIL: $lock does not name the killed pid $killed_pid:"; cat "$lock"; failed=1
else log "the killed run's lock is left behind: $(grep -E '^(host|pid|started)=' "$lock" | tr '\n' ' ')"
fi

log "same command again -> resumes"
echo "----- rerun -----" >>"$out/killed.log"
run "$out/killed" "$out/killed.log" || { tail -30 "$out/killed.log"; die "the resumed run failed"; }
grep -E "taking over the stale run lock" "$out/killed.log" | cut -c1-400 \
  || { log "FAIL: the rerun did not take over the dead run's lock"; failed=1; }
grep -qE "taking over the stale run lock .*pid $killed_pid, .*no longer exists on this host" "$out/killed.log" \
  || { log "FAIL: the takeover line does not name the killed pid $killed_pid as gone"; failed=1; }
grep -E "resuming from the checkpoint" "$out/killed.log" | cut -c1-160 || { log "FAIL: the rerun did not resume"; failed=1; }
[[ ! -e "$lock" ]] || { log "FAIL: the resumed run left its lock $lock"; failed=1; }

if ! diff <(comparable_metrics "$out/reference/$name") <(comparable_metrics "$out/killed/$name") >"$out/metrics.diff"; then
  log "FAIL: metrics differ from the undisturbed run:"; cat "$out/metrics.diff"; failed=1
fi
rows="$(comparable_metrics "$out/killed/$name" | tail -n +2 | wc -l)"
[[ $rows == 9 ]] || { log "FAIL: $rows metrics rows, expected 9 (rounds 0..8)"; failed=1; }
if ! diff -r -q "$out/reference/$name/adapters" "$out/killed/$name/adapters"; then
  log "FAIL: adapters differ"; failed=1
fi
# Strategies whose clients keep state (fedsa_lora, flasc with error feedback): the same state files.
if [[ -d "$out/reference/$name/state" || -d "$out/killed/$name/state" ]]; then
  if ! diff -r -q -x '*.tmp' "$out/reference/$name/state" "$out/killed/$name/state"; then
    log "FAIL: client states differ"; failed=1
  else
    log "client states equal the reference's: $(find "$out/killed/$name/state" -name '*.state' | wc -l) state files"
  fi
fi

log "same command a third time -> no-op"
before="$(find "$out/killed/$name" -type f -newer "$out/killed/$name/_SUCCESS" | wc -l)"
run "$out/killed" "$out/noop.log" || die "the no-op rerun failed"
grep -q "nothing to do" "$out/noop.log" || { log "FAIL: the rerun of a finished run was not a no-op"; failed=1; }
after="$(find "$out/killed/$name" -type f -newer "$out/killed/$name/_SUCCESS" | wc -l)"
[[ $before == "$after" ]] || { log "FAIL: the no-op rerun changed files"; failed=1; }
[[ ! -e "$lock" ]] || { log "FAIL: the no-op rerun left a lock"; failed=1; }

if [[ $failed == 0 ]]; then
  log "PASSED: the rerun took the dead run's lock over; it has the reference's $rows metrics rows (all but timing columns) and adapters"
fi
exit $failed
