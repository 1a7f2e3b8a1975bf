"""Runs the original AutoAttack (Croce & Hein, github.com/fra31/auto-attack) in standard mode on a TorchScript
MNIST model and the first N MNIST test images, for comparison with `advex eval --attack autoattack`.

The AutoAttack source is NOT part of Advex: fetch it yourself and point AUTOATTACK_SRC at the folder that holds its
`autoattack/` package. Debian's python3-torch is enough. Run it the same way as the Advex run you compare with, e.g.

    AUTOATTACK_SRC=/tmp/aa/ref OMP_NUM_THREADS=1 taskset -c 1 /usr/bin/python3 scripts/reference_autoattack.py \
        tests/fixtures/torchscript/lenet.pt 1000 0.1

Prints one JSON line: robust accuracy, wall seconds, images passed through the model with and without a gradient
per image (the same counting as Advex's stages), and per stage the robust accuracy and seconds that AutoAttack logs
(its log goes to stderr). OMP_NUM_THREADS sets torch's thread count (default 1). An optional fourth argument, a
CIFAR-10-format file (records of 1 label byte + 3,072 pixel bytes, e.g. tests/fixtures/rgb/test_batch.bin), takes
its first N images instead of MNIST's.
"""
import contextlib, gzip, io, json, os, re, sys, time

import numpy as np
import torch

sys.path.insert(0, os.environ["AUTOATTACK_SRC"])
from autoattack import AutoAttack  # noqa: E402

torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))  # 2 for "the same 2 cores"
model_path, n, eps = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
root = os.path.join(os.path.dirname(__file__), "..", "data", "mnist")
with gzip.open(os.path.join(root, "t10k-images-idx3-ubyte.gz")) as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
with gzip.open(os.path.join(root, "t10k-labels-idx1-ubyte.gz")) as f:
    labels = np.frombuffer(f.read(), np.uint8, offset=8)
if len(sys.argv) > 4:
    records = np.fromfile(sys.argv[4], np.uint8).reshape(-1, 3073)
    images, labels = records[:, 1:].reshape(-1, 3, 32, 32), records[:, 0]
x = torch.tensor(images[:n], dtype=torch.float32) / 255.0
y = torch.tensor(labels[:n], dtype=torch.int64)
model = torch.jit.load(model_path).eval()
calls = {"grad": 0, "forward": 0}


class Counting(torch.nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, t):
        calls["grad" if torch.is_grad_enabled() and t.requires_grad else "forward"] += t.shape[0]
        return self.inner(t)


attack = AutoAttack(Counting(model).eval(), norm="Linf", eps=eps, version="standard", device="cpu", seed=0)
log = io.StringIO()
start = time.time()
with contextlib.redirect_stdout(log):
    adv = attack.run_standard_evaluation(x, y, bs=256)
seconds = time.time() - start
sys.stderr.write(log.getvalue())
# AutoAttack logs "robust accuracy after APGD-CE: 51.50% (total time 472.0 s)" after each stage
stages, before = [], 0.0
for name, acc, total in re.findall(r"robust accuracy after ([A-Z-]+): ([0-9.]+)% \(total time ([0-9.]+) s\)", log.getvalue()):
    stages.append({"attack": name.lower(), "robust_accuracy": float(acc) / 100, "seconds": float(total) - before})
    before = float(total)
with torch.no_grad():
    robust = (model(adv).argmax(1) == y).float().mean().item()
print(json.dumps({"robust_accuracy": robust, "seconds": seconds, "gradient_evaluations_per_image": calls["grad"] / n,
                  "forward_passes_per_image": calls["forward"] / n, "threads": torch.get_num_threads(),
                  "stages": stages}))
