#!/usr/bin/env bash
# The benchmark: jobs/bench.sh [--master URL ...] [-- bench options]
# Without --master it runs local[1] and local[2] one after the other (for the scaling ratio).
# Results are printed and appended to results/bench/bench.csv; see `fedlora bench --help`.
# The driver heap is 1 GB (FEDLORA_DRIVER_MEMORY), as the N = 1,000,000 target requires.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"
masters=()
bench_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --master) masters+=("$2"); shift 2 ;;
    --) shift; bench_args+=("$@"); break ;;
    *) bench_args+=("$1"); shift ;;
  esac
done
[[ ${#masters[@]} -gt 0 ]] || masters=("local[1]" "local[2]")
ensure_jar
ensure_data
ensure_base
export OMP_NUM_THREADS=1
export FEDLORA_DRIVER_MEMORY="${FEDLORA_DRIVER_MEMORY:-1g}"
export FEDLORA_COMMIT="${FEDLORA_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}"
for master in "${masters[@]}"; do
  # shellcheck disable=SC2046
  $(app_java) org.apache.spark.deploy.SparkSubmit --master "$master" --class dev.fedlora.Main \
    --properties-file "$REPO/conf/spark-defaults.conf" --conf spark.executorEnv.OMP_NUM_THREADS=1 \
    --conf "spark.executor.extraJavaOptions=$GC_OPTS" \
    "$APP_JAR" bench ${bench_args[@]+"${bench_args[@]}"}
done
