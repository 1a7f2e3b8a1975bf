#!/usr/bin/env bash
# Advex AutoAttack before vs after a change, on one pinned core, JSON lines on stdout (one per case):
#   BEFORE=<folder of a baseline Advex.Cli build> benchmarks/autoattack-speed.sh [case ...] > out.jsonl
# A case is label:version:eps, e.g. before:standard:0.1 (the BEFORE build) or after:fast:0.15 (this worktree's build,
# AFTER overrides it); default: before:standard:0.1 after:standard:0.1. Every case runs
#   OMP_NUM_THREADS=1 taskset -c $CPU Advex.Cli eval --model tests/fixtures/torchscript/lenet.pt --data mnist
#     --split test --limit $IMAGES --eps <eps> --attack autoattack --version <version> --workers 1 --quiet --out <tmp>
# (CPU default 1, IMAGES default 200), one after the other, so that a ratio between cases of one run means something
# on a shared machine; the 1-minute load average before and after each case is recorded with it. Per case: wall
# seconds, CPU seconds (user + system, of the process and its shard child, from /usr/bin/time: waiting for the core
# while others use it does not count) and minor page faults, the attack's seconds, gradient evaluations and forward
# passes per image, robust accuracy, and the same per stage, from eval.json.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cpu=${CPU:-1}
images=${IMAGES:-200}
before=${BEFORE:-}
after=${AFTER:-$root/src/Advex.Cli/bin/Release/net10.0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cases=("$@")
[[ ${#cases[@]} -eq 0 ]] && cases=(before:standard:0.1 after:standard:0.1)
for c in "${cases[@]}"; do
  IFS=: read -r label version eps <<< "$c"
  case $label in
    before) bin=$before ;;
    after) bin=$after ;;
    *) echo "a case is before|after:version:eps (got $c)" >&2; exit 2 ;;
  esac
  [[ -x "$bin/Advex.Cli" ]] || { echo "no Advex.Cli in '$bin' (set BEFORE or AFTER)" >&2; exit 2; }
  out=$work/$label-$version-$eps
  command="OMP_NUM_THREADS=1 taskset -c $cpu Advex.Cli eval --model tests/fixtures/torchscript/lenet.pt --data mnist --split test --limit $images --eps $eps --attack autoattack --version $version --workers 1 --quiet --out <tmp>"
  l0=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  OMP_NUM_THREADS=1 /usr/bin/time -o "$out.time" -f "%U %S %R" taskset -c "$cpu" "$bin/Advex.Cli" eval --model "$root/tests/fixtures/torchscript/lenet.pt" \
    --data mnist --split test --limit "$images" --eps "$eps" --attack autoattack --version "$version" --workers 1 \
    --quiet --out "$out" > /dev/null
  end=$(date +%s.%N)
  python3 - "$label" "$version" "$out/eval.json" "$start" "$end" "$l0" "$(cut -d' ' -f1 /proc/loadavg)" "$command" "$out.time" <<'PY'
import json, sys
label, version, path, start, end, l0, l1, command, timing = sys.argv[1:10]
user, system, minor = open(timing).read().split()[-3:]
e = json.load(open(path)); r = e["runs"][0]
print(json.dumps({"case": label, "version": version, "images": e["data"]["count"], "eps": r["eps"], "command": command,
                  "wall_seconds": round(float(end) - float(start), 1),
                  "cpu_seconds": round(float(user) + float(system), 1), "minor_page_faults": int(minor), "attack_seconds": round(r["seconds"], 1),
                  "robust_accuracy": r["robust_accuracy"], "clean_accuracy": e["clean_accuracy"],
                  "gradient_evaluations_per_image": r["gradients_per_sample"], "forward_passes_per_image": r["queries_per_sample"],
                  "stages": [{k: (round(v, 1) if k == "seconds" else v) for k, v in s.items()} for s in r.get("stages") or []],
                  "escalation": r.get("escalation"), "load_before": float(l0), "load_after": float(l1)}))
PY
done
