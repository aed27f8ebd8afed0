#!/usr/bin/env bash
# Reproduces the results under results/: the heterogeneous-rank comparison in the Byun & Lee
# quality-split setup, and FLASC against dense LoRA under communication budgets. About 15 minutes
# on 2 cores. Extra arguments (e.g. --force, --master URL) go to every run.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"

# (a) 100 clients, 10 per round; 10% high-quality (balanced labels) at rank 20, the rest at rank 5.
jobs/run.sh conf/hetero-rank.conf --sweep strategy.name=zero_pad,replication_pad,hetlora,flexlora "$@"
# Homogeneous baselines keep the LoRA scale alpha / r_max = 1 of the heterogeneous runs.
jobs/run.sh conf/hetero-rank.conf experiment.name=hetero-rank-homogeneous strategy.name=fedavg \
  clients.ranks.policy=fixed 'model.lora-alpha=${clients.ranks.rank}' --sweep clients.ranks.rank=5,20 "$@"
jobs/report.sh results/hetero-rank runs/hetero-rank-zero_pad runs/hetero-rank-replication_pad \
  runs/hetero-rank-hetlora runs/hetero-rank-flexlora runs/hetero-rank-homogeneous-5 \
  runs/hetero-rank-homogeneous-20 --target-accuracy 0.7 --title "Heterogeneous ranks (quality split)"

# Seeds 8 and 9 of the two padding strategies (with seed 7 above: three seeds each).
jobs/run.sh conf/hetero-rank.conf --sweep strategy.name=zero_pad,replication_pad --sweep experiment.seed=8,9 "$@"
jobs/report.sh results/hetero-rank-seeds runs/hetero-rank-zero_pad runs/hetero-rank-zero_pad-8 \
  runs/hetero-rank-zero_pad-9 runs/hetero-rank-replication_pad runs/hetero-rank-replication_pad-8 \
  runs/hetero-rank-replication_pad-9 --target-accuracy 0.7 --title "zero_pad vs replication_pad, seeds 7, 8, 9"

# (b) FLASC densities against dense LoRA at rank 16 and at ranks of about the same bytes (the config
# ties lora-alpha to the rank, so every run has the LoRA scale 1).
jobs/run.sh conf/flasc-budget.conf --sweep strategy.flasc.download-density=1.0,0.25,0.1,0.05 "$@"
jobs/run.sh conf/flasc-budget.conf experiment.name=flasc-budget-dense strategy.name=fedavg \
  --sweep clients.ranks.rank=16,4,1 "$@"
jobs/report.sh results/flasc runs/flasc-budget-1.0 runs/flasc-budget-0.25 runs/flasc-budget-0.1 \
  runs/flasc-budget-0.05 runs/flasc-budget-dense-16 runs/flasc-budget-dense-4 runs/flasc-budget-dense-1 \
  --target-accuracy 0.7 --title "FLASC vs dense LoRA under communication budgets"
