#!/usr/bin/env bash
# AutoAttack's fast version against its standard version (issue 24), same model, data and seed, case after case on
# one pinned core (CPU, default 1; one thread):
#   benchmarks/autoattack-fast-vs-standard.sh RESULT.json [case ...]
# A case is NAME:EPS:VERSION with NAME lenet (tests/fixtures/torchscript/lenet.pt, the first LENET_IMAGES 1,000 MNIST
# test images) or rgb (tests/fixtures/rgb/rgbnet.pt on the RGB fixture's 200 images) and VERSION fast or standard;
# default: lenet:0.1:fast lenet:0.15:fast lenet:0.15:standard rgb:0.0313725:fast rgb:0.0313725:standard.
# After each case RESULT.json is rewritten (a case already in it is replaced, others are kept), so several
# invocations fill one file. Per case: the command, the commit, wall and CPU seconds, robust and clean accuracy,
# gradient evaluations and forward passes per image, robust accuracy and seconds after each stage, the fast
# version's escalation, and the 1-minute load average before and after (compare times only within one run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[[ $# -ge 1 ]] || { echo "usage: benchmarks/autoattack-fast-vs-standard.sh RESULT.json [NAME:EPS:VERSION ...]" >&2; exit 2; }
result=$1
shift
cases=("$@")
[[ ${#cases[@]} -gt 0 ]] || cases=(lenet:0.1:fast lenet:0.15:fast lenet:0.15:standard rgb:0.0313725:fast rgb:0.0313725:standard)
cpu=${CPU:-1}
bin=${ADVEX_BIN:-$root/src/Advex.Cli/bin/Release/net10.0}/Advex.Cli
[[ -x "$bin" ]] || { echo "no Advex.Cli at '$bin' (build Release first or set ADVEX_BIN)" >&2; exit 2; }
commit=$(git -C "$root" rev-parse --short HEAD)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for c in "${cases[@]}"; do
  IFS=: read -r name eps version <<< "$c"
  case $name in
    lenet) data=(--model "$root/tests/fixtures/torchscript/lenet.pt" --data mnist --split test --limit "${LENET_IMAGES:-1000}")
           shown="--model tests/fixtures/torchscript/lenet.pt --data mnist --split test --limit ${LENET_IMAGES:-1000}" ;;
    rgb) data=(--model "$root/tests/fixtures/rgb/rgbnet.pt" --data "cifar10:$root/tests/fixtures/rgb")
         shown="--model tests/fixtures/rgb/rgbnet.pt --data cifar10:tests/fixtures/rgb" ;;
    *) echo "unknown model '$name' (lenet, rgb)" >&2; exit 2 ;;
  esac
  [[ $version == fast || $version == standard ]] || { echo "unknown version '$version' (fast, standard)" >&2; exit 2; }
  out=$work/$name-$eps-$version
  command="OMP_NUM_THREADS=1 taskset -c $cpu advex eval $shown --eps $eps --attack autoattack --version $version --workers 1 --quiet --out <tmp>"
  echo "$(date -u +%T) $c: $command" >&2
  l0=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  OMP_NUM_THREADS=1 /usr/bin/time -o "$out.time" -f "%U %S" taskset -c "$cpu" "$bin" eval "${data[@]}" --eps "$eps" \
    --attack autoattack --version "$version" --workers 1 --quiet --out "$out" > "$out.log"
  end=$(date +%s.%N)
  python3 - "$result" "$c" "$out/eval.json" "$start" "$end" "$l0" "$(cut -d' ' -f1 /proc/loadavg)" "$command" \
    "$out.time" "$commit" "$cpu" <<'PY'
import datetime, json, os, sys
result, case, path, start, end, l0, l1, command, timing, commit, cpu = sys.argv[1:12]
user, system = open(timing).read().split()[-2:]
e = json.load(open(path)); r = e["runs"][0]
entry = {"case": case, "command": command, "commit": commit, "images": e["data"]["count"], "eps": r["eps"],
         "finished_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
         "wall_seconds": round(float(end) - float(start), 1), "cpu_seconds": round(float(user) + float(system), 1),
         "clean_accuracy": e["clean_accuracy"], "robust_accuracy": r["robust_accuracy"],
         "robust_samples": round(r["robust_accuracy"] * e["data"]["count"]),
         "gradient_evaluations_per_image": r["gradients_per_sample"], "forward_passes_per_image": r["queries_per_sample"],
         "stages": [{k: (round(v, 1) if k == "seconds" else v) for k, v in s.items()} for s in r.get("stages") or []],
         "load_before": float(l0), "load_after": float(l1)}
if "escalation" in r:
    entry["escalation"] = r["escalation"]
doc = json.load(open(result)) if os.path.exists(result) else {}
doc.update({"what": "Advex AutoAttack --version fast vs --version standard, same model, data and seed, case after case "
                    "on one pinned core, one thread",
            "script": "benchmarks/autoattack-fast-vs-standard.sh RESULT.json [NAME:EPS:VERSION ...]", "cpu": int(cpu)})
doc["cases"] = [x for x in doc.get("cases", []) if x["case"] != case] + [entry]
tmp = result + ".tmp"
with open(tmp, "w") as f:
    json.dump(doc, f, indent=1, ensure_ascii=False); f.write("\n")
os.replace(tmp, result)
print(json.dumps({k: entry[k] for k in ("case", "images", "wall_seconds", "robust_accuracy")}), file=sys.stderr)
PY
done
