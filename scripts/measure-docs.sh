#!/bin/sh
# Re-measures the figures the README and docs/getting-started.md quote for the demo, on the current code and this
# machine as it is, and writes them to docs/measured.md (which the docs cite instead of typing numbers by hand).
# usage: scripts/measure-docs.sh [--quick]      (default: both demo --quick and the full demo; --quick: only it)
# The build must be current: dotnet build Advex.slnx -c Release
set -eu
cd "$(dirname "$0")/.."
advex=src/Advex.Cli/bin/Release/net10.0/Advex.Cli
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
plans="quick full"
[ "${1:-}" = "--quick" ] && plans="quick"
{
  echo "# Measured figures"
  echo
  echo "Written by \`scripts/measure-docs.sh\` on commit $(git rev-parse --short HEAD), $(date -u +%FT%TZ), on $(nproc) cores"
  echo "($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))."
  echo "Load average when it started: $(cut -d' ' -f1-3 /proc/loadavg). A load far above the core count means the machine"
  echo "was shared and the times below are upper bounds: re-run the script on an idle machine for the real figures."
  echo
  for plan in $plans; do
    flag=""; [ "$plan" = quick ] && flag="--quick"
    dir="$out/$plan"
    /usr/bin/time -f "%e %U %S" -o "$out/$plan.time" $advex demo $flag --out "$dir" --quiet > "$out/$plan.log"
    set -- $(cat "$out/$plan.time")
    echo "## \`advex demo $flag\`"
    echo
    echo "Command: \`advex demo $flag --out DIR --quiet\` (one libtorch thread, the tool's default)."
    echo
    /usr/bin/python3 - "$dir" "$1" "$2" "$3" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import json, sys, os
d, wall, user, sys_, load = sys.argv[1:]
def j(*p): return json.load(open(os.path.join(d, *p)))
def run(ev, attack): return next(r for r in ev["runs"] if r["attack"] == attack)
lenet, strong, hard = j("model", "training.json"), j("pgd-apgd", "eval.json"), j("hardened-eval", "eval.json")
steps = sum(1 for line in open(os.path.join(d, "..", os.path.basename(d) + ".log")) if line.startswith("[") and "/" in line.split("]")[0])
rows = [
  ("wall time", f"{float(wall):.0f} s (load average {load} at the end)"),
  ("CPU time (user + system)", f"{float(user) + float(sys_):.0f} s"),
  ("steps", str(steps)),
  ("LeNet clean test accuracy", f"{lenet['test_accuracy']:.2%}"),
  ("PGD-40 (α 0.01) at ε 0.3 on the LeNet", f"{run(strong, 'pgd')['robust_accuracy']:.2%} robust accuracy on {strong['data']['count']} images"),
  ("AutoAttack at ε 0.3 on the LeNet", f"{run(strong, 'autoattack')['robust_accuracy']:.2%}"),
  ("PGD-AT LeNet clean accuracy", f"{hard['clean_accuracy']:.2%} on {hard['data']['count']} images"),
  ("PGD-40 at ε 0.3 on the PGD-AT LeNet", f"{run(hard, 'pgd')['robust_accuracy']:.2%}"),
  ("sanity warnings", ", ".join(sorted({c['check'] for f in ("fgsm", "pgd-apgd", "cw-deepfool", "advgan-eval", "hardened-eval")
                                         for c in j(f, "eval.json")["sanity"] if not c["ok"]})) or "none"),
]
print("| figure | value |\n|---|---|")
for k, v in rows: print(f"| {k} | {v} |")
print()
PY
  done
} > docs/measured.md.tmp
mv docs/measured.md.tmp docs/measured.md
cat docs/measured.md
