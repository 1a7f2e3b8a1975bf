#!/usr/bin/env bash
# AutoAttack versions against the original (issue 24), one run, JSON on stdout:
#   AUTOATTACK_SRC=<folder holding fra31/auto-attack's autoattack/ package> benchmarks/autoattack-bench.sh > out.json
# Cases, on the same CPUs (CPUS, default "0,1": every case runs under `taskset -c $CPUS`, two threads in all):
#   the original AutoAttack, standard version (scripts/reference_autoattack.py, torch with 2 threads);
#   Advex autoattack (standard), autoattack --version fast and autoattack-apgd, each with --workers 2 (two one-thread
#   processes);
# on the demo LeNet (tests/fixtures/torchscript/lenet.pt, eps LENET_EPS=0.1, the first LENET_IMAGES=1000 MNIST test
# images) and on the RGB fixture (tests/fixtures/rgb/rgbnet.pt, eps RGB_EPS=0.06, the first RGB_IMAGES=200 images).
# Per case: wall seconds, gradient evaluations and forward passes per image, robust accuracy after each stage.
# The machine load (1-minute load average) before and after each case is recorded: timings on a shared machine
# are only comparable within one run, case after case.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cpus=${CPUS:-0,1}
advex=${ADVEX:-dotnet $root/src/Advex.Cli/bin/Release/net10.0/Advex.Cli.dll}
python=${PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
load() { cut -d' ' -f1 /proc/loadavg; }

advex_case() { # model-name model data limit eps case args...
  local name=$1 model=$2 data=$3 limit=$4 eps=$5 case=$6; shift 6
  local l0 start end
  l0=$(load); start=$(date +%s.%N)
  OMP_NUM_THREADS=1 taskset -c "$cpus" $advex eval --model "$model" --data "$data" --split test --limit "$limit" \
    --eps "$eps" --workers 2 --quiet --out "$work/$name-$case" "$@" > /dev/null
  end=$(date +%s.%N)
  python3 - "$name" "$case" "$work/$name-$case/eval.json" "$start" "$end" "$l0" "$(load)" <<'PY'
import json, sys
name, case, path, start, end, l0, l1 = sys.argv[1:8]
e = json.load(open(path)); r = e["runs"][0]
print(json.dumps({"model": name, "case": case, "images": e["data"]["count"], "eps": r["eps"],
                  "wall_seconds": round(float(end) - float(start), 3), "attack_cpu_seconds": round(r["seconds"], 3),
                  "gradient_evaluations_per_image": r["gradients_per_sample"], "forward_passes_per_image": r["queries_per_sample"],
                  "robust_accuracy": r["robust_accuracy"], "clean_accuracy": e["clean_accuracy"],
                  "params": r["params"], "stages": r.get("stages"), "escalation": r.get("escalation"),
                  "load_before": float(l0), "load_after": float(l1)}))
PY
}

original_case() { # model-name model limit eps [cifar-file]
  local name=$1 model=$2 limit=$3 eps=$4; shift 4
  local l0
  l0=$(load)
  AUTOATTACK_SRC=$AUTOATTACK_SRC OMP_NUM_THREADS=2 taskset -c "$cpus" "$python" "$root/scripts/reference_autoattack.py" \
    "$model" "$limit" "$eps" "$@" 2> /dev/null | tail -n 1 | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
r.update({"model": sys.argv[1], "case": "original-autoattack-standard", "images": int(sys.argv[2]), "eps": float(sys.argv[3]),
          "wall_seconds": r.pop("seconds"), "load_before": float(sys.argv[4]), "load_after": float(sys.argv[5])})
print(json.dumps(r))' "$name" "$limit" "$eps" "$l0" "$(load)"
}

bench() { # name model data cifar-file limit eps
  local name=$1 model=$2 data=$3 cifar=$4 limit=$5 eps=$6
  if [[ -n "$cifar" ]]; then original_case "$name" "$model" "$limit" "$eps" "$cifar"; else original_case "$name" "$model" "$limit" "$eps"; fi
  advex_case "$name" "$model" "$data" "$limit" "$eps" standard --attack autoattack
  advex_case "$name" "$model" "$data" "$limit" "$eps" fast --attack autoattack --version fast
  advex_case "$name" "$model" "$data" "$limit" "$eps" autoattack-apgd --attack autoattack-apgd
}

{
  bench lenet "$root/tests/fixtures/torchscript/lenet.pt" mnist "" "${LENET_IMAGES:-1000}" "${LENET_EPS:-0.1}"
  if [[ "${RGB_IMAGES:-200}" != 0 ]]; then bench rgb "$root/tests/fixtures/rgb/rgbnet.pt" "cifar10:$root/tests/fixtures/rgb" \
    "$root/tests/fixtures/rgb/test_batch.bin" "${RGB_IMAGES:-200}" "${RGB_EPS:-0.06}"; fi
} | python3 -c '
import json, sys
cases = [json.loads(l) for l in sys.stdin if l.strip()]
ratios = {}
for m in sorted({c["model"] for c in cases}):
    by = {c["case"]: c for c in cases if c["model"] == m}
    o = by.get("original-autoattack-standard")
    if not o: continue
    for k in ("standard", "fast", "autoattack-apgd"):
        if k in by:
            ratios[f"{m}: original wall / advex {k} wall"] = o["wall_seconds"] / by[k]["wall_seconds"]
            ratios[f"{m}: advex {k} robust accuracy minus original"] = by[k]["robust_accuracy"] - o["robust_accuracy"]
    if "standard" in by and "fast" in by:
        ratios[f"{m}: advex fast robust accuracy minus standard"] = by["fast"]["robust_accuracy"] - by["standard"]["robust_accuracy"]
print(json.dumps({"cases": cases, "ratios": ratios}, indent=1))'
