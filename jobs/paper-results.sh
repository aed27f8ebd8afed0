#!/usr/bin/env bash
# Reproduces results/: every comparison with three seeds (--seeds 3), 50 rounds of 10 out of 100
# Fashion-MNIST clients, then the grouped reports with paired comparisons.
#   results/hetero-rank  Byun & Lee's quality split: zero_pad, replication_pad, hetlora, flexlora, and
#                        dense LoRA (fedavg) with every client at rank 5 and at rank 20; seeds 7, 8, 9
#   results/flasc        FLASC at densities 1, 0.25, 0.1, 0.05 against dense LoRA at ranks 16, 4, 1;
#                        seeds 11, 12, 13
#   results/quickstart   the four groups jobs/quickstart.sh runs one seed of (no runs of its own)
# 39 runs; 32 minutes of wall time on a shared 2-core machine (results/README.md). Finished
# runs are skipped, so an interrupted call resumes; extra arguments (e.g. --force, --master URL) go
# to every run.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"

# (a) 100 clients, 10 per round; 10% high-quality (balanced labels) at rank 20, the rest at rank 5.
jobs/run.sh conf/hetero-rank.conf --sweep strategy.name=zero_pad,replication_pad,hetlora,flexlora --seeds 3 "$@"
# Homogeneous baselines keep the LoRA scale alpha / r_max = 1 of the heterogeneous runs.
jobs/run.sh conf/hetero-rank.conf experiment.name=hetero-rank-homogeneous strategy.name=fedavg \
  clients.ranks.policy=fixed 'lora.alpha=${clients.ranks.rank}' --sweep clients.ranks.rank=5,20 --seeds 3 "$@"

# (b) FLASC densities against dense LoRA at rank 16 and at ranks of about the same bytes (the config
# ties lora.alpha to the rank, so every run has the LoRA scale 1).
jobs/run.sh conf/flasc-budget.conf --sweep strategy.flasc.download-density=1.0,0.25,0.1,0.05 --seeds 3 "$@"
jobs/run.sh conf/flasc-budget.conf experiment.name=flasc-budget-dense strategy.name=fedavg \
  --sweep clients.ranks.rank=16,4,1 --seeds 3 "$@"

jobs/report.sh results/hetero-rank runs/hetero-rank-{zero_pad,replication_pad,hetlora,flexlora}-seed{7,8,9} \
  runs/hetero-rank-homogeneous-{5,20}-seed{7,8,9} --target-accuracy 0.7 \
  --title "Heterogeneous ranks (quality split), seeds 7, 8, 9" --baseline hetero-rank-zero_pad \
  --pair hetero-rank-homogeneous-20:hetero-rank-replication_pad
jobs/report.sh results/flasc runs/flasc-budget-{1.0,0.25,0.1,0.05}-seed{11,12,13} \
  runs/flasc-budget-dense-{16,4,1}-seed{11,12,13} --target-accuracy 0.7 \
  --title "FLASC vs dense LoRA under communication budgets, seeds 11, 12, 13" \
  --pair flasc-budget-dense-16:flasc-budget-1.0 --pair flasc-budget-0.25:flasc-budget-dense-4 \
  --pair flasc-budget-0.1:flasc-budget-dense-1 --pair flasc-budget-0.05:flasc-budget-dense-1 \
  --pair flasc-budget-0.25:flasc-budget-1.0 --pair flasc-budget-0.1:flasc-budget-1.0 \
  --pair flasc-budget-0.05:flasc-budget-1.0
jobs/report.sh results/quickstart runs/hetero-rank-{zero_pad,replication_pad}-seed{7,8,9} \
  runs/flasc-budget-0.25-seed{11,12,13} runs/flasc-budget-dense-4-seed{11,12,13} --target-accuracy 0.7 \
  --title "The quickstart's comparisons, three seeds each" \
  --pair hetero-rank-replication_pad:hetero-rank-zero_pad --pair flasc-budget-0.25:flasc-budget-dense-4
