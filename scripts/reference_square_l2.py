"""Runs the original L2 Square Attack (Andriushchenko et al., as shipped in github.com/fra31/auto-attack) on the
TorchScript LeNet fixture and the first N MNIST test images, for several seeds, and writes the robust accuracies to
tests/fixtures/reference/square-l2-lenet.json, the independent reference of Advex's L2 Square test.

The AutoAttack source is NOT part of Advex: point AUTOATTACK_SRC at the folder that holds its `autoattack/` package.

    AUTOATTACK_SRC=/tmp/aa/ref OMP_NUM_THREADS=1 /usr/bin/python3 scripts/reference_square_l2.py
"""
import gzip, json, os, sys

import numpy as np
import torch

sys.path.insert(0, os.environ["AUTOATTACK_SRC"])
from autoattack.square import SquareAttack  # noqa: E402

torch.set_num_threads(1)
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..")
n, eps, queries, seeds = 256, 1.5, 500, [0, 1, 2]
with gzip.open(os.path.join(root, "data", "mnist", "t10k-images-idx3-ubyte.gz")) as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
with gzip.open(os.path.join(root, "data", "mnist", "t10k-labels-idx1-ubyte.gz")) as f:
    labels = np.frombuffer(f.read(), np.uint8, offset=8)
x = torch.tensor(images[:n], dtype=torch.float32) / 255.0
y = torch.tensor(labels[:n], dtype=torch.int64)
model = torch.jit.load(os.path.join(root, "tests", "fixtures", "torchscript", "lenet.pt")).eval()
robust = []
for seed in seeds:
    attack = SquareAttack(model, p_init=0.8, n_queries=queries, eps=eps, norm="L2", n_restarts=1, seed=seed,
                          device="cpu", verbose=False)
    adv = attack.perturb(x, y)
    with torch.no_grad():
        robust.append((model(adv).argmax(1) == y).float().mean().item())
out = {"model": "tests/fixtures/torchscript/lenet.pt", "data": "mnist test, first %d" % n, "eps": eps, "norm": "l2",
       "queries": queries, "p_init": 0.8, "seeds": seeds, "robust_accuracy": robust,
       "generator": "scripts/reference_square_l2.py (original Square from fra31/auto-attack, torch %s)" % torch.__version__}
path = os.path.join(root, "tests", "fixtures", "reference", "square-l2-lenet.json")
with open(path, "w") as f:
    json.dump(out, f, indent=2)
print(json.dumps(out))
