#!/usr/bin/env bash
# Issue 23, item 4: per-gradient-step time and peak RSS of Advex against PyTorch eager (Debian torch 1.13), same
# thread (1), same batch, back to back, pinned to one core. Build Release first. JSON on stdout:
#   benchmarks/onnx-speed/run.sh [BATCH] [STEPS] > benchmarks/results/onnx-speed.json
# For each network of models.py (random seeded weights): PyTorch eager, Advex on the TorchScript trace, Advex on the
# ONNX export (opset 17); at 224 px also channels-last for both. Ratios are Advex over PyTorch (below 1: Advex faster
# or smaller). Peak RSS is the whole process's (VmHWM): runtime, model and the step's activations.
set -uo pipefail  # a crashing run is recorded as an error, not the end of the benchmark
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
batch=${1:-2}
steps=${2:-5}
cpu=${CPU:-1}
python=${PYTHON:-/usr/bin/python3}
bench=${BENCH:-dotnet $root/benchmarks/Advex.Benchmarks/bin/Release/net10.0/Advex.Benchmarks.dll}
work=${WORK:-$(mktemp -d)}
[[ -f "$work/resnet50.onnx" ]] || "$python" "$here/models.py" "$work" >&2
pin=(env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 taskset -c "$cpu")
results=()
for net in ${NETS:-cifar_resnet18 resnet50 mobilenet_v2 vit_b_16}; do
  shape=$("$python" -c "import sys; sys.path.insert(0, '$here'); import models; print(','.join(map(str, models.NETWORKS['$net'])))")
  formats=(contiguous)
  [[ $shape == 3,224,224 && $net != vit_b_16 ]] && formats+=(channels_last)
  for format in "${formats[@]}"; do
    flag=(); pyflag=()
    [[ $format == channels_last ]] && flag=(--channels-last) && pyflag=(channels_last)
    torch=$("${pin[@]}" "$python" "$here/torch_step.py" "$net" "$batch" "$steps" "${pyflag[@]}" || echo "{\"error\": \"exit $?\"}")
    script=$("${pin[@]}" $bench --gradient-step "$work/$net.pt" --shape "$shape" --batch "$batch" --steps "$steps" "${flag[@]}" || echo "{\"error\": \"exit $?\"}")
    onnx=$("${pin[@]}" $bench --gradient-step "$work/$net.onnx" --shape "$shape" --batch "$batch" --steps "$steps" "${flag[@]}" || echo "{\"error\": \"exit $?\"}")
    results+=("{\"network\": \"$net\", \"memory_format\": \"$format\", \"pytorch\": $torch, \"advex_torchscript\": $script, \"advex_onnx\": $onnx}")
    echo "$net $format done" >&2
  done
done
joined=$(IFS=,; echo "${results[*]}")
"$python" - "$batch" "$steps" "$cpu" <<PY
import json, sys
batch, steps, cpu = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rows = json.loads('[' + '''$joined''' + ']')
for r in rows:
    t = r["pytorch"]
    for k in ("advex_torchscript", "advex_onnx"):
        if "error" in t or "error" in r[k]:
            continue
        r[k + "_step_ratio"] = round(r[k]["seconds_per_step"] / t["seconds_per_step"], 3)
        r[k + "_rss_ratio"] = round(r[k]["peak_rss_mib"] / t["peak_rss_mib"], 3)
print(json.dumps({"command": "benchmarks/onnx-speed/run.sh %d %d" % (batch, steps), "batch": batch, "timed_steps": steps,
                  "pinning": "taskset -c %s, OMP_NUM_THREADS=1, one process at a time" % cpu,
                  "note": "measured on the shared 2-core session machine (other engineers building and testing at the same time)",
                  "results": rows}, indent=1))
PY
