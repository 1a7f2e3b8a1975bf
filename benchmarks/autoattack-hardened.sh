#!/usr/bin/env bash
# AutoAttack's fast version against its standard version on the hardened smallcnn of docs/hardening.md (issue 24),
# with the figures the doc's recipe paragraph states (clean, FGSM, PGD-50 x 10 restarts, APGD-CE), on the same images:
#   benchmarks/autoattack-hardened.sh MODEL RESULT.json
# MODEL is the output folder of the doc's recipe (train it first, e.g. into /tmp; do not commit it):
#   advex train --model smallcnn --adv fgsm-rs --eps 0.3 --alpha 0.2 --epochs 10 --batch-size 100 --lr 5e-3 \
#     --lr-schedule one-cycle --out MODEL
# Every case runs `OMP_NUM_THREADS=1 taskset -c $CPU Advex.Cli eval --model MODEL --data mnist --split test
# --limit $IMAGES --eps $EPS --workers 1 --quiet --out <tmp>` plus the case's attack flags, one after the other
# (CPU default 1, IMAGES default 1000, EPS default 0.3); `clean10k` is FGSM without --limit, for the clean accuracy on
# the full test set. CASES picks and orders them (default: standard fast fgsm pgd50x10 apgd-ce clean10k). After each
# case RESULT.json is rewritten (a case already in it is replaced, others are kept), so a run cut short keeps what it
# finished and several invocations with different CASES fill one file. Per case: the command, wall seconds, CPU
# seconds (user + system, /usr/bin/time), the attack's seconds, robust and clean accuracy, gradient evaluations and
# forward passes per image, robust accuracy after each stage and the fast version's escalation (AutoAttack), and the
# 1-minute load average before and after (the machine is shared: compare times only within one run). The model's
# training.json (per-epoch held-out PGD-10, kept epoch, wall time) is copied into RESULT.json when present, with
# TRAIN_COMMIT (the commit the model was trained on) if set.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[[ $# -eq 2 ]] || { echo "usage: benchmarks/autoattack-hardened.sh MODEL RESULT.json" >&2; exit 2; }
model=$(realpath "$1")
result=$2
cpu=${CPU:-1}
images=${IMAGES:-1000}
eps=${EPS:-0.3}
bin=${ADVEX_BIN:-$root/src/Advex.Cli/bin/Release/net10.0}/Advex.Cli
[[ -x "$bin" ]] || { echo "no Advex.Cli at '$bin' (build Release first or set ADVEX_BIN)" >&2; exit 2; }
read -r -a cases <<< "${CASES:-standard fast fgsm pgd50x10 apgd-ce clean10k}"
commit=$(git -C "$root" rev-parse --short HEAD)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for c in "${cases[@]}"; do
  limit=(--limit "$images")
  case $c in
    standard) flags=(--attack autoattack --version standard) ;;
    fast) flags=(--attack autoattack --version fast) ;;
    fgsm) flags=(--attack fgsm) ;;
    pgd50x10) flags=(--attack pgd --steps 50 --restarts 10 --step-size 0.01) ;;
    apgd-ce) flags=(--attack apgd-ce) ;;
    clean10k) flags=(--attack fgsm); limit=() ;;
    *) echo "unknown case '$c' (standard fast fgsm pgd50x10 apgd-ce clean10k)" >&2; exit 2 ;;
  esac
  out=$work/$c
  command="OMP_NUM_THREADS=1 taskset -c $cpu Advex.Cli eval --model MODEL --data mnist --split test ${limit[*]} --eps $eps ${flags[*]} --workers 1 --quiet --out <tmp>"
  echo "$(date -u +%T) $c: $command" >&2
  l0=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  OMP_NUM_THREADS=1 /usr/bin/time -o "$out.time" -f "%U %S" taskset -c "$cpu" "$bin" eval --model "$model" --data mnist \
    --split test "${limit[@]}" --eps "$eps" "${flags[@]}" --workers 1 --quiet --out "$out" > "$out.log"
  end=$(date +%s.%N)
  python3 - "$result" "$c" "$out/eval.json" "$start" "$end" "$l0" "$(cut -d' ' -f1 /proc/loadavg)" "$command" \
    "$out.time" "$commit" "$model" "$eps" "$cpu" <<'PY'
import datetime, json, os, sys
result, case, path, start, end, l0, l1, command, timing, commit, model, eps, cpu = sys.argv[1:14]
user, system = open(timing).read().split()[-2:]
e = json.load(open(path)); r = e["runs"][0]
entry = {"case": case, "command": command, "images": e["data"]["count"], "eps": r["eps"],
         "finished_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
         "wall_seconds": round(float(end) - float(start), 1), "cpu_seconds": round(float(user) + float(system), 1),
         "attack_seconds": round(r["seconds"], 1), "clean_accuracy": e["clean_accuracy"],
         "robust_accuracy": r["robust_accuracy"], "robust_samples": round(r["robust_accuracy"] * e["data"]["count"]),
         "gradient_evaluations_per_image": r["gradients_per_sample"], "forward_passes_per_image": r["queries_per_sample"],
         "load_before": float(l0), "load_after": float(l1)}
if r.get("stages"):
    entry["stages"] = [{k: (round(v, 1) if k == "seconds" else v) for k, v in s.items()} for s in r["stages"]]
if "escalation" in r:
    entry["escalation"] = r["escalation"]
doc = json.load(open(result)) if os.path.exists(result) else {}
doc.update({"what": "Advex AutoAttack --version fast vs --version standard on the hardened smallcnn of docs/hardening.md "
                    "(FGSM-RS, alpha 0.2, seed 0), with clean, FGSM, PGD-50 x 10 restarts and APGD-CE on the same images; "
                    "cases run one after the other on one pinned core",
            "script": "benchmarks/autoattack-hardened.sh MODEL RESULT.json", "cpu": int(cpu), "threads": 1})
doc.setdefault("commits", {})[case] = commit
training = os.path.join(model, "training.json")
if os.path.exists(training):
    t = json.load(open(training))
    doc["training"] = {"commit": os.environ.get("TRAIN_COMMIT"),"command": "OMP_NUM_THREADS=1 taskset -c 1 advex train --model smallcnn --adv fgsm-rs --eps 0.3 "
                                  "--alpha 0.2 --epochs 10 --batch-size 100 --lr 5e-3 --lr-schedule one-cycle --out MODEL",
                       "wall_seconds": t.get("wall_seconds"), "early_stopping": t.get("early_stopping"),
                       "test_accuracy": t.get("test_accuracy"),
                       "epochs": [{"epoch": x["epoch"], "seconds": round(x["seconds"], 1), "test_accuracy": x["test_accuracy"],
                                   **x.get("extra", {})} for x in t.get("epochs", [])]}
cases = [c for c in doc.get("cases", []) if c["case"] != case] + [entry]
doc["cases"] = cases
tmp = result + ".tmp"
with open(tmp, "w") as f:
    json.dump(doc, f, indent=1, ensure_ascii=False); f.write("\n")
os.replace(tmp, result)
print(json.dumps({k: entry[k] for k in ("case", "images", "wall_seconds", "clean_accuracy", "robust_accuracy")}), file=sys.stderr)
PY
done
