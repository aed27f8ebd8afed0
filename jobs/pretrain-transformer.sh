#!/usr/bin/env bash
# Pretrains the transformer base as a causal language model on the Brown corpus's training
# documents (the genre task's test documents held out) and writes var/base/brown-bpe.tok (the BPE
# tokenizer), var/base/brown-transformer.fltb (the base) and var/base/brown-transformer.json (the
# report: settings, figures, both files' SHA-256). Fails unless the base beats a Kneser-Ney bigram
# on the held-out documents. Idempotent: when those files exist and check out it says so and exits 0
# (--force pretrains again). Runs under the same lock as every job that might start it, so jobs
# started together pretrain once. Extra arguments go to `fedlora pretrain-transformer` (see --help).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"
ensure_jar
custom_corpus=0
for arg in "$@"; do [[ "$arg" == --corpus || "$arg" == --corpus=* ]] && custom_corpus=1; done
if [[ $custom_corpus == 0 && ! -d "$REPO/data/text/brown" ]]; then with_lock data "$REPO/jobs/fetch-data.sh"; fi
mkdir -p var/base

pretrain_transformer() {
  # shellcheck disable=SC2046
  $(app_java) dev.fedlora.Main pretrain-transformer "$@"
}

with_lock transformer-base pretrain_transformer "$@"
