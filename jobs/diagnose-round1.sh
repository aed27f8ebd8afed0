#!/usr/bin/env bash
# Byun & Lee's round-1 diagnostic: each sampled client's accuracy on its own held-out data with its
# locally trained adapter (before) and with the global adapter after one aggregation, per strategy.
#   jobs/diagnose-round1.sh OUT_DIR CONFIG [key=value ...] [--strategies zero_pad,replication_pad]
# e.g. jobs/diagnose-round1.sh var/diag conf/hetero-rank.conf
# Writes OUT_DIR/round1-diagnostic.csv and prints the group means; the round-1 runs go under
# output.dir (set output.dir=... to keep them apart). Runs on local[*] (spark.master overrides).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage="usage: jobs/diagnose-round1.sh OUT_DIR CONFIG [key=value ...] [--strategies S1,S2]"
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then echo "$usage"; exit 0; fi
[[ $# -ge 2 ]] || die "$usage"
out="$1"
shift

ensure_jar
ensure_data
# shellcheck disable=SC2046
exec $(app_java) dev.fedlora.Main diagnose-round1 --out "$out" "$@"
