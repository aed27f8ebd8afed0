#!/usr/bin/env bash
# Runs one experiment (or a sweep):  jobs/run.sh CONFIG [key=value ...] [--sweep key=v1,v2] [--force]
#                                    [--master URL] [--conf spark.k=v ...]
#                                    [--seeds N]  (N replicates of every variant: <name>-seed<seed>)
#        or several configs in one Spark application: jobs/run.sh A.conf [key=value ...] B.conf [key=value ...]
# Builds the jar, fetches the data and pretrains the base when missing, then submits the job through
# Spark's SparkSubmit: local[*] by default, or the --master given (e.g. spark://127.0.0.1:7077).
# With SPARK_HOME set, that distribution's bin/spark-submit is used instead.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"

master="local[*]"
spark_args=()
app_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --master) master="$2"; shift 2 ;;
    --conf) spark_args+=(--conf "$2"); shift 2 ;;
    *) app_args+=("$1"); shift ;;
  esac
done
[[ ${#app_args[@]} -gt 0 ]] || die "usage: jobs/run.sh CONFIG [key=value ...] [--sweep key=v1,v2] [--force] [--master URL]"
[[ -f "${app_args[0]}" ]] || die "config file not found: ${app_args[0]}"

ensure_jar
ensure_data
# The default base is pretrained when missing, unless an override names another base.
default_base=1
for arg in "${app_args[@]:1}"; do [[ "$arg" =~ ^model\.base\ *= ]] && default_base=0; done
[[ $default_base == 0 ]] || ensure_base
# A config on the pretrained transformer's default base: pretrain it (and its tokenizer) when missing.
if [[ $default_base == 1 ]] && grep -q 'var/base/brown-transformer.fltb' "${app_args[0]}" \
    && [[ ! -f "$REPO/var/base/brown-transformer.fltb" ]]; then
  "$REPO/jobs/pretrain-transformer.sh"
fi

# One BLAS/OpenMP thread per Spark task: tasks, not ND4J, use the cores.
export OMP_NUM_THREADS=1
submit_args=(--master "$master" --class dev.fedlora.Main
  --properties-file "$REPO/conf/spark-defaults.conf"
  --conf spark.executorEnv.OMP_NUM_THREADS=1
  --conf "spark.driver.extraJavaOptions=$GC_OPTS -Dlog4j2.configurationFile=$REPO/conf/log4j2.properties"
  --conf "spark.executor.extraJavaOptions=$GC_OPTS -Dlog4j2.configurationFile=$REPO/conf/log4j2.properties"
  ${spark_args[@]+"${spark_args[@]}"})

if [[ -n "${SPARK_HOME:-}" ]]; then
  exec "$SPARK_HOME/bin/spark-submit" "${submit_args[@]}" "$APP_JAR" run "${app_args[@]}"
fi
# shellcheck disable=SC2046
exec $(app_java) org.apache.spark.deploy.SparkSubmit "${submit_args[@]}" "$APP_JAR" run "${app_args[@]}"
