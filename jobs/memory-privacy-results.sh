#!/usr/bin/env bash
# Reproduces the results of clients that remember, exact aggregation and differential privacy, on the
# MLP (Fashion-MNIST), three seeds each (--seeds 3), then the grouped reports with paired comparisons:
#   results/fedsa         fedsa_lora vs dense LoRA (fedavg) under Dirichlet(0.1) label skew:
#                         personalised and global accuracy (conf/fedsa.conf)
#   results/exact         fedex_lora and rolora vs fedavg and ffa_lora (conf/exact-aggregation.conf)
#   results/flasc-ef      FLASC with and without error feedback at densities 0.1 and 0.05
#                         (conf/flasc-budget.conf)
#   results/dp            DP-FedAvg at epsilon 1, 4 and 8 for FLASC (density 0.25) and dense LoRA
#                         (conf/dp.conf)
# Finished runs are skipped, so an interrupted call resumes; extra arguments (e.g. --force,
# --master URL) go to every run.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"

jobs/run.sh conf/fedsa.conf --sweep strategy.name=fedsa_lora,fedavg --seeds 3 "$@"
jobs/run.sh conf/exact-aggregation.conf --sweep strategy.name=fedex_lora,rolora,fedavg,ffa_lora --seeds 3 "$@"
jobs/run.sh conf/flasc-budget.conf experiment.name=flasc-ef --sweep strategy.flasc.download-density=0.1,0.05 \
  --sweep strategy.flasc.error-feedback=none,residual --seeds 3 "$@"
jobs/run.sh conf/dp.conf --sweep privacy.target-epsilon=1,4,8 --seeds 3 "$@"
jobs/run.sh conf/dp.conf strategy.name=fedavg experiment.name=dp-dense --sweep privacy.target-epsilon=1,4,8 --seeds 3 "$@"

jobs/report.sh results/fedsa runs/fedsa-{fedsa_lora,fedavg}-seed{7,8,9} \
  --title "FedSA-LoRA vs dense LoRA under Dirichlet(0.1) label skew, seeds 7, 8, 9" --baseline fedsa-fedavg
jobs/report.sh results/exact runs/exact-aggregation-{fedex_lora,rolora,fedavg,ffa_lora}-seed{13,14,15} \
  --title "Exact aggregation: FedEx-LoRA and RoLoRA vs FedAvg and FFA-LoRA, seeds 13, 14, 15" \
  --baseline exact-aggregation-fedavg
jobs/report.sh results/flasc-ef runs/flasc-ef-{0.1,0.05}-{none,residual}-seed{11,12,13} \
  --title "FLASC with and without error feedback, seeds 11, 12, 13" \
  --pair flasc-ef-0.1-residual:flasc-ef-0.1-none --pair flasc-ef-0.05-residual:flasc-ef-0.05-none
jobs/report.sh results/dp runs/dp-{1,4,8}-seed{11,12,13} runs/dp-dense-{1,4,8}-seed{11,12,13} \
  --title "DP-FedAvg: FLASC (density 0.25) vs dense LoRA at epsilon 1, 4, 8, seeds 11, 12, 13" \
  --pair dp-1:dp-dense-1 --pair dp-4:dp-dense-4 --pair dp-8:dp-dense-8
