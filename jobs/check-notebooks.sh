#!/usr/bin/env bash
# Executes every notebooks/*.ipynb on finished runs and fails if a cell raises:
#   jobs/check-notebooks.sh [RUNS_DIR]
# Without RUNS_DIR it first makes runs of its own: a tiny sweep (3 rounds on a slice of the data,
# zero_pad and replication_pad, 2 seeds each) under var/notebook-check/runs, and the grouped report
# of it in var/notebook-check/report. The notebooks get the folder through FEDLORA_RUNS_DIR; the
# executed copies go to var/notebook-check/executed. Needs Debian's jupyter-nbconvert,
# python3-ipykernel, python3-pandas and python3-matplotlib (.ci/run installs them).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"

command -v jupyter-nbconvert >/dev/null \
  || die "jupyter-nbconvert is missing: apt-get install jupyter-nbconvert python3-ipykernel python3-pandas python3-matplotlib"
work="$REPO/var/notebook-check"
runs="${1:-}"
if [[ -z "$runs" ]]; then
  runs="$work/runs"
  jobs/run.sh conf/tiers.conf experiment.name=tiny experiment.rounds=3 clients.count=20 clients.per-round=4 \
    data.train-limit=4000 data.test-limit=1000 engine.tasks-per-round=4 "output.dir=$runs" \
    --sweep strategy.name=zero_pad,replication_pad --seeds 2
  jobs/report.sh "$work/report" "$runs"/tiny-* --target-accuracy 0.5 --title "Notebook check: a tiny sweep"
fi
[[ -d "$runs" ]] || die "no such runs folder: $runs"
runs="$(cd "$runs" && pwd)"

mkdir -p "$work/executed"
passed=0
failed=0
for notebook in notebooks/*.ipynb; do
  echo "executing $notebook on $runs"
  if FEDLORA_RUNS_DIR="$runs" jupyter-nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300 \
       --output-dir "$work/executed" "$notebook"; then
    passed=$((passed + 1))
  else
    echo "error: $notebook failed (see above)" >&2
    failed=$((failed + 1))
  fi
done
echo "notebooks: $passed passed, $failed failed"
[[ $failed == 0 ]]
