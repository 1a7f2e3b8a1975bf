#!/bin/sh
# Re-measures docs/certification.md's comparison of Advex's universal perturbations with the independent PyTorch
# reference (scripts/reference_universal.py, its figures in tests/fixtures/reference/universal-lenet.json): Advex's
# held-out fooling rate over the reference's seeds 0-9 for each of its configurations, on the current code, written
# to docs/measured-universal.md. usage: scripts/measure-universal.sh   (the build must be current)
# Pin it as the docs say it was run, e.g.: OMP_NUM_THREADS=1 nice -n 19 taskset -c 0 scripts/measure-universal.sh
set -eu
cd "$(dirname "$0")/.."
advex=src/Advex.Cli/bin/Release/net10.0/Advex.Cli
ref=tests/fixtures/reference/universal-lenet.json
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
/usr/bin/python3 - "$ref" > "$out/configs" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["configs"]:
    print(c["name"], c["method"], c["norm"], c["eps"], c["passes"], c["train"], " ".join(map(str, d["seeds"])))
PY
start=$(date -u +%FT%TZ)
while read -r name method norm eps passes train seeds; do
  for s in $seeds; do
    $advex attack --model tests/fixtures/torchscript/lenet.pt --universal "$method" --norm "$norm" --eps "$eps" \
      --passes "$passes" --train-limit "$train" --limit 500 --seed "$s" --out "$out/$name-$s" --quiet > /dev/null
  done
done < "$out/configs"
{
  echo "# Measured universal perturbations against the reference"
  echo
  echo "Written by \`scripts/measure-universal.sh\` on commit $(git rev-parse --short HEAD), started $start, on $(nproc) cores."
  echo "Per configuration of \`$ref\` and seed: \`advex attack --model tests/fixtures/torchscript/lenet.pt"
  echo "--universal METHOD --norm NORM --eps EPS --passes P --train-limit N --limit 500 --seed S\`; held-out fooling rate on"
  echo "the first 500 MNIST test images, mean ± sample sd over the seeds."
  echo
  /usr/bin/python3 - "$ref" "$out" <<'PY'
import json, os, statistics, sys
d = json.load(open(sys.argv[1]))
print("| configuration | Advex | reference (PyTorch) |\n|---|---|---|")
for c in d["configs"]:
    rates = [json.load(open(os.path.join(sys.argv[2], f"{c['name']}-{s}", "universal.json")))["fooling_rate"] for s in d["seeds"]]
    print(f"| {c['name']} ({c['method']} {c['norm']} ε {c['eps']:g}, {c['train']} training images, {c['passes']} passes) | "
          f"{100 * statistics.mean(rates):.1f} % ± {100 * statistics.stdev(rates):.1f} | {100 * c['mean']:.1f} % ± {100 * c['sd']:.1f} |")
PY
} > docs/measured-universal.md.tmp
mv docs/measured-universal.md.tmp docs/measured-universal.md
cat docs/measured-universal.md
