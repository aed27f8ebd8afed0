#!/usr/bin/env bash
# Plots and tabulates finished runs (no Spark session):
#   jobs/report.sh OUT_DIR RUN_DIR... [--target-accuracy X] [--title TEXT] [--baseline GROUP]
#                  [--pair GROUP:BASELINE ...]
# e.g. jobs/report.sh var/qs runs/quickstart-pad-zero_pad runs/quickstart-pad-replication_pad --target-accuracy 0.7
# Runs that differ only by seed are one group (mean ± sd, paired comparisons against the baseline group,
# or of the groups each --pair names).
# Writes OUT_DIR/accuracy-vs-round, accuracy-vs-mb, mb-per-round, mb-each-round and (where the metrics
# have them) client-train-loss and client-train-seconds as .png and .svg, report.html (self-contained)
# and report.md (written last).
# Paths are taken relative to the current folder. Exit code 2: a run folder is unfinished or has no metrics.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage="usage: jobs/report.sh OUT_DIR RUN_DIR... [--target-accuracy X] [--title TEXT] [--baseline GROUP] [--pair GROUP:BASELINE ...]"
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then echo "$usage"; exit 0; fi
[[ $# -ge 2 && "$1" != -* ]] || die "$usage"
out="$1"
shift

ensure_jar
# The report needs little memory; FEDLORA_DRIVER_MEMORY still overrides.
export FEDLORA_DRIVER_MEMORY="${FEDLORA_DRIVER_MEMORY:-1g}"
# shellcheck disable=SC2046
exec $(app_java) -Djava.awt.headless=true dev.fedlora.Main report --out "$out" "$@"
