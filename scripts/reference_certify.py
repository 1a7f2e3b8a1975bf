"""An independent CERTIFY (randomized smoothing, Cohen, Rosenfeld & Kolter 2019, Algorithm "certify"), written from
the paper, run on the TorchScript LeNet fixture over several seeds to measure its Monte-Carlo spread.

    /usr/bin/python3 scripts/reference_certify.py            # writes tests/fixtures/reference/certify-lenet.json
    /usr/bin/python3 scripts/reference_certify.py --n 100000 --limit 2 --seeds 1 --out /tmp/ref.json   # timing

For each of the first LIMIT MNIST test images x (pixels in [0,1]):
    counts0 = SampleUnderNoise(f, x, n0, sigma); cA = argmax counts0
    counts  = SampleUnderNoise(f, x, n,  sigma); pA = one-sided (1 - alpha) Clopper-Pearson lower bound of counts[cA]/n
    if pA > 1/2: predict cA with radius sigma * Phi^-1(pA), else abstain
where SampleUnderNoise draws x + N(0, sigma^2 I) (torch.randn, not clipped) and counts the base classifier's argmax.
Certified accuracy at r = fraction of images whose prediction is correct with radius >= r.
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from scipy import stats

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = "tests/fixtures/torchscript/lenet.pt"
SIGMA, N0, N, ALPHA, LIMIT, BATCH = 0.25, 100, 1000, 0.001, 60, 1000
SEEDS = list(range(6))
RADII = [0, 0.25, 0.5, 0.75, 1]


def read_idx(path):
    raw = gzip.open(path).read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def sample_under_noise(model, x, num, sigma, classes):
    counts = np.zeros(classes, dtype=np.int64)
    remaining = num
    with torch.no_grad():
        while remaining > 0:
            size = min(BATCH, remaining)
            batch = x.unsqueeze(0).repeat(size, 1, 1, 1)
            noisy = batch + torch.randn_like(batch) * sigma
            counts += np.bincount(model(noisy).argmax(1).numpy(), minlength=classes)
            remaining -= size
    return counts


def certify(model, x, classes):
    counts0 = sample_under_noise(model, x, N0, SIGMA, classes)
    top = int(counts0.argmax())
    counts = sample_under_noise(model, x, N, SIGMA, classes)
    k = int(counts[top])
    p_lower = stats.beta.ppf(ALPHA, k, N - k + 1) if k > 0 else 0.0
    if p_lower > 0.5:
        return top, SIGMA * stats.norm.ppf(p_lower)
    return -1, 0.0


def main():
    global N, LIMIT, SEEDS
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=N)
    parser.add_argument("--limit", type=int, default=LIMIT)
    parser.add_argument("--seeds", type=int, default=len(SEEDS))
    parser.add_argument("--out", default=os.path.join(REPO, "tests", "fixtures", "reference", "certify-lenet.json"))
    args = parser.parse_args()
    N, LIMIT, SEEDS = args.n, args.limit, list(range(args.seeds))
    torch.set_num_threads(1)
    model = torch.jit.load(os.path.join(REPO, MODEL)).eval()
    images = read_idx(os.path.join(REPO, "data", "mnist", "t10k-images-idx3-ubyte.gz"))[:LIMIT]
    labels = read_idx(os.path.join(REPO, "data", "mnist", "t10k-labels-idx1-ubyte.gz"))[:LIMIT]
    x = torch.tensor(images, dtype=torch.float32).div(255).unsqueeze(1)
    runs = []
    for seed in SEEDS:
        torch.manual_seed(seed)
        started = time.time()
        results = [certify(model, x[i], 10) for i in range(LIMIT)]
        accuracy = {str(r): sum(1 for (p, rad), y in zip(results, labels) if p == int(y) and rad >= r) / LIMIT for r in RADII}
        runs.append({"seed": seed, "certified_accuracy": accuracy, "seconds": round(time.time() - started, 2)})
        print(seed, accuracy, file=sys.stderr)
    out = {
        "generated_by": "/usr/bin/python3 scripts/reference_certify.py",
        "torch_version": torch.__version__,
        "model": MODEL, "data": f"mnist test, first {LIMIT}",
        "sigma": SIGMA, "n0": N0, "n": N, "alpha": ALPHA, "limit": LIMIT,
        "runs": runs,
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
