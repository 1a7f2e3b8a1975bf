#!/bin/sh
# Measures one PGD job with 1 and with 2 libtorch threads, alternating, on this machine as it is (busy or idle),
# and prints a Markdown table of wall seconds (benchmarks/results/threads-1-vs-2.md holds a run of it).
# usage: scripts/measure-threads.sh [repeats=3] [limit=500]
set -eu
cd "$(dirname "$0")/.."
advex=src/Advex.Cli/bin/Release/net10.0/Advex.Cli
repeats=${1:-3}
limit=${2:-500}
model=tests/fixtures/torchscript/lenet.pt
cmd="eval --model $model --data mnist --attack pgd --eps 0.3 --steps 40 --step-size 0.01 --limit $limit --quiet"
echo "command: OMP_NUM_THREADS=T $advex $cmd"
echo "host: $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)"
echo
echo "| run | threads | wall seconds | load average (1 min) |"
echo "|---|---|---|---|"
for r in $(seq 1 "$repeats"); do
  for t in 1 2; do
    start=$(date +%s.%N)
    OMP_NUM_THREADS=$t $advex $cmd > /dev/null
    end=$(date +%s.%N)
    echo "| $r | $t | $(echo "$end - $start" | bc -l | xargs printf '%.2f') | $(cut -d' ' -f1 /proc/loadavg) |"
  done
done
