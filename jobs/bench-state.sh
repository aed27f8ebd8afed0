#!/usr/bin/env bash
# What client state costs a round as the clients holding state grow (fedlora bench state):
#   jobs/bench-state.sh [--states 1000,100000] [--cohorts 10,20,50,100] [--floats 4096] [--dir DIR]
# Fills a scratch run folder per N (default var/state-bench; 100,000 states of 16 KB take 1.6 GB) and
# prints the median time of a round's state reads, writes and index updates per (N, m).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"
ensure_jar
# shellcheck disable=SC2046
$(app_java) dev.fedlora.Main bench state "$@"
