#!/usr/bin/env python3
"""Generate the TorchScript and IDX test fixtures for Advex.

Run from anywhere (paths are resolved relative to the repository root):

    /usr/bin/python3 scripts/make_torchscript_fixtures.py

Inputs : data/mnist/*.gz (full MNIST, gzipped IDX; checked against data/mnist/SHA256SUMS).
Outputs: tests/fixtures/torchscript/{lenet.pt, lenet_normalized.pt, softmax_output.pt, bad_output.pt, expected.json}
         tests/fixtures/idx-small/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz

Every number in expected.json is computed here by PyTorch from the saved (and reloaded) TorchScript
files; nothing is typed by hand. The run is deterministic: fixed seeds, a fixed number of threads,
deterministic algorithms, and gzip headers without timestamps.
"""

import gzip
import hashlib
import io
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
MNIST_DIR = os.path.join(REPO, "data", "mnist")
TS_DIR = os.path.join(REPO, "tests", "fixtures", "torchscript")
IDX_SMALL_DIR = os.path.join(REPO, "tests", "fixtures", "idx-small")
COMMAND = "/usr/bin/python3 scripts/make_torchscript_fixtures.py"

MNIST_MEAN = 0.1307
MNIST_STD = 0.3081

# IDX magic numbers: two zero bytes, a type code (0x08 = unsigned byte), and the number of dimensions.
IDX_MAGIC_IMAGES = 0x00000803  # u8, 3 dims [N, 28, 28]
IDX_MAGIC_LABELS = 0x00000801  # u8, 1 dim  [N]


# ----------------------------------------------------------------------------------------------
# IDX reading / writing
# ----------------------------------------------------------------------------------------------

def read_idx(raw: bytes) -> np.ndarray:
    """Parse an uncompressed IDX file holding unsigned bytes (type code 0x08)."""
    if len(raw) < 4:
        raise ValueError("IDX file too short")
    zero, dtype_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"unsupported IDX header: zero={zero:#x} type={dtype_code:#x}")
    dims = struct.unpack(f">{ndim}I", raw[4:4 + 4 * ndim])
    header = 4 + 4 * ndim
    count = int(np.prod(dims))
    if len(raw) != header + count:
        raise ValueError(f"IDX payload is {len(raw) - header} bytes, expected {count} for dims {dims}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)


def write_idx_gz(path: str, array: np.ndarray) -> None:
    """Write a u8 array as a gzipped IDX file (magic 0x0803 for 3-d images, 0x0801 for 1-d labels).

    The gzip stream carries no file name and mtime=0, so the output is byte-for-byte reproducible."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    magic = {3: IDX_MAGIC_IMAGES, 1: IDX_MAGIC_LABELS}[array.ndim]
    payload = struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(payload)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def load_mnist():
    """Load the four MNIST files as numpy u8 arrays, checking the raw bytes against SHA256SUMS."""
    sums = {}
    with open(os.path.join(MNIST_DIR, "SHA256SUMS")) as f:
        for line in f:
            digest, name = line.split()
            sums[name] = digest
    arrays = {}
    for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                 "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]:
        with gzip.open(os.path.join(MNIST_DIR, name + ".gz"), "rb") as f:
            raw = f.read()
        if hashlib.sha256(raw).hexdigest() != sums[name]:
            raise ValueError(f"{name}: SHA-256 does not match data/mnist/SHA256SUMS")
        arrays[name] = read_idx(raw)
    return (arrays["train-images-idx3-ubyte"], arrays["train-labels-idx1-ubyte"],
            arrays["t10k-images-idx3-ubyte"], arrays["t10k-labels-idx1-ubyte"])


def to_pixels(images_u8: np.ndarray) -> torch.Tensor:
    """u8 [N,28,28] -> float32 [N,1,28,28] in [0,1] (bytes / 255)."""
    return torch.from_numpy(images_u8.astype(np.float32) / np.float32(255.0)).unsqueeze(1)


def normalize(x: torch.Tensor) -> torch.Tensor:
    return (x - MNIST_MEAN) / MNIST_STD


# ----------------------------------------------------------------------------------------------
# Models
# ----------------------------------------------------------------------------------------------

class LeNet(nn.Module):
    """Classic LeNet-5 variant for 28x28 inputs; returns logits [N, 10]."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)   # -> 6x28x28, pooled to 6x14x14
        self.conv2 = nn.Conv2d(6, 16, 5)             # -> 16x10x10, pooled to 16x5x5 = 400
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class SoftmaxOutput(nn.Module):
    """Wraps a classifier and returns softmax probabilities instead of logits (a misuse Advex should warn about)."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return torch.softmax(self.inner(x), dim=1)


class BadOutput(nn.Module):
    """Wraps a classifier and returns one number per example, shape [N] (not [N, C])."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return self.inner(x).sum(dim=1)


def train_lenet(x_train: torch.Tensor, y_train: torch.Tensor, seed: int) -> LeNet:
    """One epoch of Adam (lr 1e-3), batch 128, shuffled with a generator seeded by `seed`."""
    torch.manual_seed(seed)
    model = LeNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(seed)
    order = torch.randperm(x_train.shape[0], generator=gen)
    model.train()
    for start in range(0, x_train.shape[0], 128):
        idx = order[start:start + 128]
        loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    return model


# ----------------------------------------------------------------------------------------------
# Helpers for saving and measuring
# ----------------------------------------------------------------------------------------------

def trace_and_save(module: nn.Module, example: torch.Tensor, path: str) -> torch.jit.ScriptModule:
    """Trace in eval mode, save, reload, and check the reloaded module matches the eager one."""
    module.eval()
    with torch.no_grad():
        traced = torch.jit.trace(module, example)
    traced.save(path)
    reloaded = torch.jit.load(path)
    reloaded.eval()
    with torch.no_grad():
        # Check on a batch size different from the tracing example, so a baked-in batch size would show.
        probe = torch.rand(5, 1, 28, 28, generator=torch.Generator().manual_seed(1))
        for x in (example, probe):
            a, b = module(x), reloaded(x)
            if a.shape != b.shape or not torch.allclose(a, b, rtol=0, atol=1e-6):
                raise AssertionError(f"{path}: reloaded TorchScript output differs from eager output")
    size = os.path.getsize(path)
    if size >= 1_000_000:
        raise AssertionError(f"{path}: {size} bytes, expected < 1 MB")
    return reloaded


def predict(module, x: torch.Tensor, batch: int = 1000) -> torch.Tensor:
    with torch.no_grad():
        return torch.cat([module(x[i:i + batch]).argmax(dim=1) for i in range(0, x.shape[0], batch)])


def rows(t: torch.Tensor):
    """float32 tensor -> nested lists of Python floats; each float is the exact value of the float32."""
    return [[float(v) for v in row] for row in t.detach().to(torch.float32).numpy()]


def sha256_file(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------

def main() -> int:
    torch.manual_seed(0)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)

    os.makedirs(TS_DIR, exist_ok=True)
    os.makedirs(IDX_SMALL_DIR, exist_ok=True)

    train_img, train_lbl, test_img, test_lbl = load_mnist()
    x_train, y_train = to_pixels(train_img), torch.from_numpy(train_lbl.astype(np.int64))
    x_test, y_test = to_pixels(test_img), torch.from_numpy(test_lbl.astype(np.int64))
    n_test = x_test.shape[0]
    example = x_test[:8]

    # 1. lenet.pt: trained on raw pixels in [0,1].
    lenet = train_lenet(x_train, y_train, seed=0)
    lenet_ts = trace_and_save(lenet, example, os.path.join(TS_DIR, "lenet.pt"))

    # 2. lenet_normalized.pt: trained on (x - 0.1307) / 0.3081; expects normalized input.
    lenet_norm = train_lenet(normalize(x_train), y_train, seed=0)
    lenet_norm_ts = trace_and_save(lenet_norm, normalize(example), os.path.join(TS_DIR, "lenet_normalized.pt"))

    # 3. softmax_output.pt: lenet followed by softmax (probabilities, rows sum to 1).
    softmax_ts = trace_and_save(SoftmaxOutput(lenet), example, os.path.join(TS_DIR, "softmax_output.pt"))

    # 4. bad_output.pt: lenet logits summed over classes -> shape [N].
    bad_ts = trace_and_save(BadOutput(lenet), example, os.path.join(TS_DIR, "bad_output.pt"))

    # 7. idx-small: t10k = test images 0..199, train = test images 200..399.
    write_idx_gz(os.path.join(IDX_SMALL_DIR, "t10k-images-idx3-ubyte.gz"), test_img[:200])
    write_idx_gz(os.path.join(IDX_SMALL_DIR, "t10k-labels-idx1-ubyte.gz"), test_lbl[:200])
    write_idx_gz(os.path.join(IDX_SMALL_DIR, "train-images-idx3-ubyte.gz"), test_img[200:400])
    write_idx_gz(os.path.join(IDX_SMALL_DIR, "train-labels-idx1-ubyte.gz"), test_lbl[200:400])
    # Read the small set back through the same parser, so the numbers below come from the written files.
    small = {}
    for name in ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
                 "train-images-idx3-ubyte", "train-labels-idx1-ubyte"]:
        with gzip.open(os.path.join(IDX_SMALL_DIR, name + ".gz"), "rb") as f:
            small[name] = read_idx(f.read())
    assert np.array_equal(small["t10k-images-idx3-ubyte"], test_img[:200])
    assert np.array_equal(small["train-labels-idx1-ubyte"], test_lbl[200:400])
    x_small = to_pixels(small["t10k-images-idx3-ubyte"])
    y_small = torch.from_numpy(small["t10k-labels-idx1-ubyte"].astype(np.int64))
    x_small_train = to_pixels(small["train-images-idx3-ubyte"])
    y_small_train = torch.from_numpy(small["train-labels-idx1-ubyte"].astype(np.int64))

    # 5. expected.json, computed from the reloaded TorchScript modules.
    with torch.no_grad():
        lenet_logits64 = lenet_ts(x_test[:64])
        # For the normalized model the raw [0,1] images are normalized here, before the call;
        # Advex applies the same (x - mean) / std inside its wrapper.
        lenet_norm_logits64 = lenet_norm_ts(normalize(x_test[:64]))
        softmax_rows8 = softmax_ts(x_test[:8])
        bad_out8 = bad_ts(x_test[:8])
    lenet_correct = int((predict(lenet_ts, x_test) == y_test).sum())
    lenet_norm_correct = int((predict(lenet_norm_ts, normalize(x_test)) == y_test).sum())
    small_correct = int((predict(lenet_ts, x_small) == y_small).sum())
    small_train_correct = int((predict(lenet_ts, x_small_train) == y_small_train).sum())

    expected = {
        "generated_by": COMMAND,
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "input": "MNIST test images as bytes/255, float32 [N,1,28,28]",
        "lenet.pt": {
            "sha256": sha256_file(os.path.join(TS_DIR, "lenet.pt")),
            "input": "raw pixels in [0,1]",
            "logits_first64": rows(lenet_logits64),
            "test_correct": lenet_correct,
            "test_total": n_test,
            "clean_accuracy": lenet_correct / n_test,
        },
        "lenet_normalized.pt": {
            "sha256": sha256_file(os.path.join(TS_DIR, "lenet_normalized.pt")),
            "input": "normalized pixels (x - mean) / std",
            "mean": MNIST_MEAN,
            "std": MNIST_STD,
            "logits_first64_note": "raw [0,1] test images, normalized with mean/std before the call",
            "logits_first64": rows(lenet_norm_logits64),
            "test_correct": lenet_norm_correct,
            "test_total": n_test,
            "clean_accuracy": lenet_norm_correct / n_test,
        },
        "softmax_output.pt": {
            "sha256": sha256_file(os.path.join(TS_DIR, "softmax_output.pt")),
            "input": "raw pixels in [0,1]",
            "output_first8": rows(softmax_rows8),
        },
        "bad_output.pt": {
            "sha256": sha256_file(os.path.join(TS_DIR, "bad_output.pt")),
            "input": "raw pixels in [0,1]",
            "output_shape_for_8": list(bad_out8.shape),
        },
        "idx-small": {
            "t10k": "MNIST test images/labels 0..199",
            "train": "MNIST test images/labels 200..399",
            "lenet_t10k_correct": small_correct,
            "lenet_t10k_total": int(y_small.shape[0]),
            "lenet_train_correct": small_train_correct,
            "lenet_train_total": int(y_small_train.shape[0]),
        },
    }
    with open(os.path.join(TS_DIR, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")

    print(f"lenet.pt            test accuracy {lenet_correct}/{n_test}")
    print(f"lenet_normalized.pt test accuracy {lenet_norm_correct}/{n_test}")
    print(f"lenet.pt on idx-small t10k {small_correct}/200, train {small_train_correct}/200")
    print(f"wrote {TS_DIR} and {IDX_SMALL_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
