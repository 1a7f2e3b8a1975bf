#!/usr/bin/python3
"""Reference for Advex's MALT target ranking (issue 24): MALT's rule computed in float64 with PyTorch.

Melamed, Yehudai & Shamir (NeurIPS 2024), "MALT Powers Up Adversarial Attacks": for a sample with logits z, label y
and clean prediction p = argmax z, each candidate class j (the highest logits other than y, at most 100) gets
    d_j = (z_p - z_j) / || grad_x (z_j - z_y) ||_q,   q = 1 for Linf, q = 2 for L2,
(d_j = 0 when the gradient is all zero, as in the authors' code) and the targets are the candidates ordered by d_j.
This script computes that rule independently of Advex (written from the formula, float64 model and inputs) on the
LeNet TorchScript fixture and the first 32 MNIST test images with seeded uniform noise of +-0.05 added (clipped to
[0, 1]): on the clean digits the flat background makes max-pooling windows tie, where the input gradient is not
unique (PyTorch 1.13 and libtorch 2.10 break the ties differently); the noise moves the points off the ties. The
noisy inputs are written as float32 (little-endian, [32, 1, 28, 28]) next to the JSON, so Advex reads the very same
values.

Run from the repository root (Debian's python3-torch):
    /usr/bin/python3 scripts/malt_reference.py
It writes tests/fixtures/reference/malt-lenet.json and malt-lenet-inputs.bin; running it twice gives identical files.
"""
import gzip
import json
import os
import sys

import numpy as np
import torch

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COUNT = 32
OUT = os.path.join(REPO, "tests", "fixtures", "reference")


def read_idx(path):
    raw = gzip.open(path, "rb").read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    torch.set_num_threads(1)
    images = read_idx(os.path.join(REPO, "data", "mnist", "t10k-images-idx3-ubyte.gz"))[:COUNT]
    labels = read_idx(os.path.join(REPO, "data", "mnist", "t10k-labels-idx1-ubyte.gz"))[:COUNT]
    model = torch.jit.load(os.path.join(REPO, "tests", "fixtures", "torchscript", "lenet.pt")).eval().double()
    torch.manual_seed(0)
    clean = torch.tensor(images, dtype=torch.float32).unsqueeze(1) / 255.0
    noisy = (clean + (torch.rand(clean.shape) - 0.5) * 0.1).clamp(0, 1)
    noisy.numpy().astype("<f4").tofile(os.path.join(OUT, "malt-lenet-inputs.bin"))
    x = noisy.to(torch.float64)
    y = torch.tensor(labels, dtype=torch.int64)
    with torch.no_grad():
        z = model(x)
    classes = z.shape[1]
    out = {"generated_by": "/usr/bin/python3 scripts/malt_reference.py",
           "torch_version": torch.__version__, "model": "tests/fixtures/torchscript/lenet.pt",
           "data": "mnist test, first %d images, plus uniform noise of +-0.05 (seed 0), clipped; malt-lenet-inputs.bin" % COUNT, "labels": y.tolist(), "samples": []}
    for i in range(COUNT):
        zi = z[i]
        p = int(zi.argmax())
        others = [j for j in range(classes) if j != int(y[i])]
        others.sort(key=lambda j: -float(zi[j]))  # highest logit first
        others = others[:100]
        row = {"index": i, "prediction": p, "candidates": others, "linf": {}, "l2": {}}
        for j in others:
            xi = x[i:i + 1].clone().requires_grad_(True)
            zz = model(xi)[0]
            (g,) = torch.autograd.grad(zz[j] - zz[int(y[i])], xi)
            gap = float(zi[p] - zi[j])
            for name, q in (("linf", 1), ("l2", 2)):
                norm = float(g.abs().sum()) if q == 1 else float(g.pow(2).sum().sqrt())
                row[name][str(j)] = gap / norm if norm != 0 else 0.0
        for name in ("linf", "l2"):
            row[name + "_order"] = sorted(others, key=lambda j: row[name][str(j)])
        out["samples"].append(row)
    with open(os.path.join(OUT, "malt-lenet.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
