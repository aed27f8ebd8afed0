#!/usr/bin/env bash
# The quickstart: conf/quickstart.conf with each core strategy, then a table of final accuracies.
#   zero_pad, replication_pad: rank tiers 4 / 8 / 16 (heterogeneous ranks)
#   flasc: every client at rank 16, dense download, 10% upload
# Extra arguments (key=value overrides, --force, --master URL) go to every run.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"
start=$(date +%s)
jobs/run.sh conf/quickstart.conf --sweep strategy.name=zero_pad,replication_pad "$@"
jobs/run.sh conf/quickstart.conf experiment.name=quickstart-flasc strategy.name=flasc \
  clients.ranks.policy=fixed clients.ranks.rank=16 "$@"
echo
printf '%-28s %-16s %10s %12s %12s\n' experiment strategy accuracy "MB up" seconds
for m in runs/quickstart-zero_pad runs/quickstart-replication_pad runs/quickstart-flasc; do
  [[ -f "$m/manifest.json" ]] || continue
  # Reads the summary that the job wrote into manifest.json.
  node -e '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1] + "/manifest.json", "utf8"));
    const r = m.results || {};
    console.log([m.experiment.padEnd(28), m.strategy.padEnd(16),
      String((r.finalTestAccuracy ?? NaN).toFixed(4)).padStart(10),
      String(((r.cumulativeBytesUp ?? NaN) / 1e6).toFixed(2)).padStart(12),
      String((r.wallSeconds ?? NaN).toFixed(1)).padStart(12)].join(" "));' "$m"
done
echo "quickstart wall time: $(( $(date +%s) - start ))s (outputs under runs/)"
