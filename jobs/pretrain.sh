#!/usr/bin/env bash
# Pretrains the frozen base MLP (784-256-256-10) on MNIST and writes it to
# var/base/mnist-mlp-784-256-256-10.flbm. Extra arguments go to `fedlora pretrain` (see --help).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"
ensure_jar
ensure_data
mkdir -p var/base
# shellcheck disable=SC2046
exec $(app_java) dev.fedlora.Main pretrain "$@"
