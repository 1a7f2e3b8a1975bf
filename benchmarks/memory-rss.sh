#!/bin/bash
# Peak resident memory of Advex vs PyTorch for the same PGD L-inf attack, model and batch (issue 23, item 3):
# torchvision's mobilenet_v2 at 224 px (seeded random weights, exported to ONNX by scripts/make_real_size_set.py),
# photos resized to 256 and center-cropped to 224, labels = clean predictions. Both pinned to one core
# (taskset -c 1, OMP_NUM_THREADS=1), run back to back. Advex's peak is the largest VmHWM polled every 0.1 s (its
# batch planner resets VmHWM once before the attack starts, so ru_maxrss would miss the loading phase).
# Usage: benchmarks/memory-rss.sh SETDIR [BATCH] [IMAGES] [STEPS] > memory-rss.json   (SETDIR from make_real_size_set.py)
set -euo pipefail
set_dir=$1; batch=${2:-16}; images=${3:-16}; steps=${4:-5}; eps=0.0157
root=$(cd "$(dirname "$0")/.." && pwd)
cli=$root/src/Advex.Cli/bin/Release/net10.0/Advex.Cli
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/photos"
ls "$set_dir/photos" | sort | head -n "$images" | while read -r f; do cp "$set_dir/photos/$f" "$work/photos/"; done

OMP_NUM_THREADS=1 taskset -c 1 "$cli" eval --model "$set_dir/mobilenet_v2.onnx" --mean 0.485,0.456,0.406 \
  --std 0.229,0.224,0.225 --data "images:$work/photos" --resize 256 --center-crop 224 --labels predicted \
  --attack pgd --eps $eps --steps "$steps" --batch-size "$batch" --out "$work/advex" --quiet > /dev/null 2>&1 &
pid=$!; peak=0; start=$(date +%s.%N)
while kill -0 $pid 2>/dev/null; do
  h=$(awk '/VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0); [ -n "$h" ] && [ "$h" -gt "$peak" ] && peak=$h
  sleep 0.1
done
wait $pid; advex_seconds=$(echo "$(date +%s.%N) - $start" | bc)
advex_peak=$((peak * 1024))
torch_json=$(OMP_NUM_THREADS=1 taskset -c 1 /usr/bin/python3 "$root/benchmarks/memory_rss_reference.py" "$work/photos" "$batch" "$steps" $eps)
torch_peak=$(echo "$torch_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["peak_rss_bytes"])')
python3 - "$advex_peak" "$torch_peak" "$advex_seconds" "$torch_json" "$batch" "$images" "$steps" <<'PY'
import json, sys
a, t, secs, tj, batch, images, steps = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), json.loads(sys.argv[4]), *map(int, sys.argv[5:8])
print(json.dumps({"model": "mobilenet_v2 224px (ONNX for Advex, torchvision eager for PyTorch)", "attack": f"pgd linf {steps} steps",
                  "batch": batch, "images": images, "advex_peak_rss_bytes": a, "pytorch_peak_rss_bytes": t,
                  "advex_over_pytorch_peak_rss": round(a / t, 3), "advex_wall_seconds_incl_sanity_checks": round(secs, 1),
                  "pytorch_attack_seconds": round(tj["seconds"], 1),
                  "note": "Advex's eval also runs its sanity checks (more steps, repeats) at the same batch"}, indent=2))
PY
