#!/bin/bash
# What oneDNN's ISA cap (src/Advex/Native/OneDnnIsa.cs) costs and buys, one convolution at a time: each layer shape of
# the networks Advex evaluates, forward pass plus input and weight gradients in float32, timed and compared with
# float64, under DNNL_MAX_CPU_ISA=SSE41 (Advex's default), AVX2 and ALL (every kernel the CPU allows). One process per
# cap (oneDNN reads it once), one thread pinned to core CPU (default 1). Build Release first.
# Usage: benchmarks/onednn-isa.sh [CPU] > onednn-isa.json
set -euo pipefail
cpu=${1:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
bench=$root/benchmarks/Advex.Benchmarks/bin/Release/net10.0/Advex.Benchmarks
{
  for isa in SSE41 AVX2 ALL; do
    DNNL_MAX_CPU_ISA=$isa OMP_NUM_THREADS=1 taskset -c "$cpu" "$bench" --conv-isa 2>/dev/null | sed "s/^{/{\"isa\":\"$isa\",/"
  done
} | python3 -c '
import json, sys, platform, datetime
rows = [json.loads(l) for l in sys.stdin if l.strip()]
print(json.dumps({"date": datetime.date.today().isoformat(), "machine": platform.processor() or platform.machine(),
                  "threads": 1, "rows": rows}, indent=1))'
