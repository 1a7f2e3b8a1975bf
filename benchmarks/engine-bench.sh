#!/usr/bin/env bash
# The evaluation-engine benchmark (issue 14, item 9), one run, JSON on stdout. Run it on a quiet machine:
#   benchmarks/engine-bench.sh [MODEL] [IMAGES] > engine-bench.json
# MODEL defaults to the LeNet TorchScript fixture; IMAGES (default 1000) are the first MNIST test images.
# Cases (all one libtorch thread except the workers case, batch 256, eps 0.1; the model in its chosen memory format,
# channels-last for the LeNet, except pgd40-contiguous, which measures that choice):
#   pgd40, pgd40-contiguous, apgd-ce (100 steps), cw (100 steps, 1 binary-search step), fgsm at 1 eps vs a 7-eps sweep (the sweep
#   shares one input gradient per batch; on FGSM_IMAGES, default 10000, so that the attack outweighs start-up),
#   --workers 1 vs --workers 2 (pgd40 on WORKERS_IMAGES, default 10000: on 1000 images the fixed costs of start-up,
#   the clean pass and the 256-sample more-steps check are a third of the run), and the plain PyTorch PGD-40 loop (benchmarks/pgd_reference.py) for the
#   per-step reference. With AUTOATTACK_SRC set (a folder holding the original `autoattack` package, which Advex does
#   not ship) it also runs standard AutoAttack on the IMAGES images at eps 0.1: Advex with --workers 2 (one thread
#   each) against the original (scripts/reference_autoattack.py) with 2 threads, the same 2 cores, and reports the
#   per-stage figures. Per case: wall seconds, attack seconds, gradient evaluations per image and seconds per
#   gradient step, read from each run's eval.json.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
model=${1:-$root/tests/fixtures/torchscript/lenet.pt}
images=${2:-1000}
fgsm_images=${FGSM_IMAGES:-10000}
workers_images=${WORKERS_IMAGES:-10000}
advex=${ADVEX:-dotnet $root/src/Advex.Cli/bin/Release/net10.0/Advex.Cli.dll}
python=${PYTHON:-/usr/bin/python3}   # Debian's, with python3-torch
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
base=(eval --model "$model" --data mnist --batch-size 256 --quiet)

run() { # name threads args... (--limit defaults to IMAGES)
  local name=$1 threads=$2; shift 2
  local start end limit=(--limit "$images")
  [[ " $* " == *" --limit "* ]] && limit=()
  start=$(date +%s.%N)
  OMP_NUM_THREADS=$threads $advex "${base[@]}" "${limit[@]}" "$@" --out "$work/$name" > /dev/null
  end=$(date +%s.%N)
  python3 - "$name" "$work/$name/eval.json" "$start" "$end" <<'PY'
import json, sys
name, path, start, end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
e = json.load(open(path))
runs = e["runs"]
secs = sum(r["seconds"] for r in runs)
grads = sum(r.get("gradients_per_sample", 0) for r in runs)
n = e["data"]["count"]
case = {"case": name, "images": n, "wall_seconds": round(end - start, 3), "attack_seconds": round(secs, 3),
        "gradients_per_image": grads, "seconds_per_image": secs / n,
        "seconds_per_gradient_step_per_batch": (secs / (grads * -(-n // 256))) if grads else None,
        "robust_accuracy": [r["robust_accuracy"] for r in runs], "run_seconds": [r["seconds"] for r in runs]}
stages = [r["stages"] for r in runs if r.get("stages")]
if stages:
    case["stages"] = stages[0]
print(json.dumps(case))
PY
}

{
  run pgd40 1 --attack pgd --eps 0.1 --steps 40
  run pgd40-contiguous 1 --attack pgd --eps 0.1 --steps 40 --memory-format contiguous
  run apgd-ce 1 --attack apgd-ce --eps 0.1
  run cw 1 --attack cw --steps 100 --binary-search-steps 1
  run fgsm-1eps 1 --limit "$fgsm_images" --attack fgsm --eps 0.1
  run fgsm-7eps 1 --limit "$fgsm_images" --attack fgsm --eps 0,0.05,0.1,0.15,0.2,0.25,0.3
  run workers-1 1 --limit "$workers_images" --attack pgd --eps 0.1 --steps 40 --workers 1
  run workers-2 1 --limit "$workers_images" --attack pgd --eps 0.1 --steps 40 --workers 2
  # the same images for PyTorch: an eps-0 FGSM "attack" writes the clean images as IDX
  $advex attack --model "$model" --data mnist --limit "$images" --attack fgsm --eps 0 --out "$work/clean" --quiet > /dev/null
  "$python" "$here/pgd_reference.py" "$model" "$work/clean" "$images" 40 0.1
  if [[ -n "${AUTOATTACK_SRC:-}" ]]; then
    run autoattack-workers-2 1 --attack autoattack --eps 0.1 --workers 2
    AUTOATTACK_SRC=$AUTOATTACK_SRC OMP_NUM_THREADS=2 "$python" "$root/scripts/reference_autoattack.py" \
      "$model" "$images" 0.1 | tail -n 1 | python3 -c '
import json, sys
r = json.loads(sys.stdin.read()); r["case"] = "original-autoattack-2-threads"; r["wall_seconds"] = r["seconds"]
print(json.dumps(r))'
  fi
} | python3 -c '
import json, sys
cases = [json.loads(l) for l in sys.stdin if l.strip()]
by = {c["case"]: c for c in cases}
ratios = {}
if "fgsm-1eps" in by and "fgsm-7eps" in by:
    ratios["fgsm_7eps_over_1eps_wall"] = by["fgsm-7eps"]["wall_seconds"] / by["fgsm-1eps"]["wall_seconds"]
    ratios["fgsm_7eps_over_1eps_attack"] = by["fgsm-7eps"]["attack_seconds"] / by["fgsm-1eps"]["attack_seconds"]
    # the cost of the sweep per extra eps: runs eps 0.1 ... 0.3 each add one forward pass (eps 0 reuses the clean pass,
    # eps 0.05 also computes the shared gradient); adding 5 of them to the one-eps run gives the floor of the ratio
    extra = by["fgsm-7eps"]["run_seconds"][2:]
    ratios["fgsm_attack_seconds_per_extra_eps"] = sum(extra) / len(extra)
    ratios["fgsm_7eps_floor_over_1eps_wall"] = (by["fgsm-1eps"]["wall_seconds"] + 5 * sum(extra) / len(extra)) / by["fgsm-1eps"]["wall_seconds"]
if "pgd40" in by and "pgd40-contiguous" in by:
    ratios["channels_last_speedup_pgd40_attack"] = by["pgd40-contiguous"]["attack_seconds"] / by["pgd40"]["attack_seconds"]
if "workers-1" in by and "workers-2" in by:
    ratios["workers_2_speedup_wall"] = by["workers-1"]["wall_seconds"] / by["workers-2"]["wall_seconds"]
if "autoattack-workers-2" in by and "original-autoattack-2-threads" in by:
    ratios["original_autoattack_over_advex_wall"] = by["original-autoattack-2-threads"]["wall_seconds"] / by["autoattack-workers-2"]["wall_seconds"]
    ratios["robust_accuracy_advex_minus_original"] = by["autoattack-workers-2"]["robust_accuracy"][0] - by["original-autoattack-2-threads"]["robust_accuracy"]
if "pgd40" in by and "pytorch-pgd40-reference" in by:
    ratios["advex_over_pytorch_per_image_pgd40"] = by["pgd40"]["seconds_per_image"] / by["pytorch-pgd40-reference"]["seconds_per_image"]
print(json.dumps({"cases": cases, "ratios": ratios}, indent=2))'
