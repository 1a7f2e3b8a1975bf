#!/usr/bin/env python3
"""Generate the PyTorch checkpoint fixtures for Advex (tests/fixtures/checkpoints) and the photo fixtures
(tests/fixtures/photos).

Run from anywhere (paths are resolved relative to the repository root), with Debian's PyTorch, torchvision and
scikit-image (python3-torch, python3-torchvision, python3-skimage):

    /usr/bin/python3 scripts/make_checkpoint_fixtures.py

Outputs:
  tests/fixtures/checkpoints/resnet18.pth          torchvision resnet18(num_classes=10) state_dict, torch.save (zip)
  tests/fixtures/checkpoints/resnet18.safetensors  the same tensors as safetensors, written by hand below
  tests/fixtures/checkpoints/lenet.pth             a state_dict with Advex's LeNet names (conv1, conv2, fc1-3)
  tests/fixtures/checkpoints/inputs.bin            float32 [4,3,64,64] pixels in [0,1] for resnet18
  tests/fixtures/checkpoints/lenet_inputs.bin      float32 [4,1,28,28] pixels in [0,1] for lenet
  tests/fixtures/checkpoints/lenet_training.pth    that state_dict inside a training checkpoint, saved from
                                                   nn.DataParallel (module. names) with epoch, optimizer and args
  tests/fixtures/checkpoints/lenet_lightning.ckpt  that state_dict laid out as a PyTorch Lightning checkpoint
  tests/fixtures/checkpoints/lenet_two_models.pth  {"model": that state_dict, "ema": another LeNet's, "epoch": 3}
  tests/fixtures/checkpoints/expected.json         versions and PyTorch's logits for the models
  tests/fixtures/photos/{astronaut,chelsea,coffee}.png  scikit-image's public-domain/CC0 photos at 224x224

The weights are random and seeded. Every convolution and linear weight is drawn independently per element from
{-s, 0, +s} (s = sqrt(3 / fan_in), the Kaiming variance); biases, BatchNorm weights, biases and running statistics
are ordinary random floats (the resnet's output layer at a tenth of that scale, see main). Ternary weights keep every element of every tensor significant (a loader that drops,
transposes or misplaces any tensor changes the logits) while letting git compress the 45 MB file to about 3 MB;
full-entropy floats would add 41 MB to every clone. The run is deterministic (fixed seed, one thread).
"""

import argparse
import copy
import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(REPO, "tests", "fixtures", "checkpoints")
PHOTOS = os.path.join(REPO, "tests", "fixtures", "photos")
COMMAND = "/usr/bin/python3 scripts/make_checkpoint_fixtures.py"
SAMPLES = 4


class LeNet(nn.Module):
    """Advex's LeNet (src/Advex/Models/LeNet.cs) with the same attribute names, so its state_dict loads with
    --arch lenet."""

    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = F.relu(self.fc1(torch.flatten(x, 1)))
        return self.fc3(F.relu(self.fc2(x)))


def randomize(model, g):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() > 1:
                fan_in = p[0].numel()
                s = (3.0 / fan_in) ** 0.5
                p.copy_(torch.randint(-1, 2, p.shape, generator=g).float() * s)
            elif name.endswith("bias"):
                p.copy_(torch.rand(p.shape, generator=g) * 0.2 - 0.1)
            else:  # BatchNorm weight
                p.copy_(torch.rand(p.shape, generator=g) * 0.5 + 0.75)
        for name, b in model.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(torch.randn(b.shape, generator=g) * 0.1)
            elif name.endswith("running_var"):
                b.copy_(torch.rand(b.shape, generator=g) * 1.5 + 0.5)
            elif name.endswith("num_batches_tracked"):
                b.fill_(int(torch.randint(1, 1000, (1,), generator=g)))


SAFETENSORS_DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def write_safetensors(path, state):
    """The safetensors format: an 8-byte little-endian header length, a JSON header mapping each name to its dtype,
    shape and [begin, end) byte offsets into the data that follows, then the raw little-endian tensors."""
    header, blobs, offset = {}, [], 0
    for name in sorted(state):
        t = state[name].contiguous()
        data = t.numpy().tobytes()
        header[name] = {"dtype": SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # pad so the data starts 8-byte aligned, as the reference writer does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def logits(model, x):
    model.eval()
    with torch.no_grad():
        return model(x)


def photos():
    from PIL import Image
    from skimage import data

    os.makedirs(PHOTOS, exist_ok=True)
    for name in ("astronaut", "chelsea", "coffee"):
        img = Image.fromarray(getattr(data, name)()).convert("RGB")
        side = min(img.size)
        left, top = (img.size[0] - side) // 2, (img.size[1] - side) // 2
        img.crop((left, top, left + side, top + side)).resize((224, 224), Image.BICUBIC).save(
            os.path.join(PHOTOS, name + ".png"), optimize=True)


def training_checkpoints(lenet, g, x):
    """The two shapes of training checkpoint users ship: the state_dict of an nn.DataParallel model (every name
    under module.) inside a dictionary with the epoch, the optimizer's state (tensors of its own) and the run's
    arguments; and a dictionary with two state_dicts, the model and an exponential moving average of it. Returns the
    second model (the EMA), whose logits expected.json records."""
    wrapped = nn.DataParallel(copy.deepcopy(lenet))
    optimizer = torch.optim.SGD(wrapped.parameters(), lr=0.0, momentum=0.9)  # lr 0: one step fills the momentum
    F.cross_entropy(wrapped(x), torch.arange(len(x))).backward()                # buffers, the weights stay the same
    optimizer.step()
    assert all(torch.equal(a, b) for a, b in zip(wrapped.module.state_dict().values(), lenet.state_dict().values()))
    torch.save({"epoch": 7, "state_dict": wrapped.state_dict(), "optimizer": optimizer.state_dict(), "best_acc": 0.25,
                "args": {"arch": "lenet", "lr": 0.0, "momentum": 0.9}}, os.path.join(OUT, "lenet_training.pth"))
    # the layout of a PyTorch Lightning .ckpt: a LightningModule holding the network as self.model, its optimizer
    # states in a list, and hyper-parameters as an argparse.Namespace (a Python object the reader must step over)
    torch.save({"epoch": 2, "global_step": 100, "pytorch-lightning_version": "1.9.0",
                "state_dict": {"model." + k: v for k, v in lenet.state_dict().items()},
                "optimizer_states": [optimizer.state_dict()], "lr_schedulers": [],
                "hyper_parameters": argparse.Namespace(arch="lenet", lr=0.0)}, os.path.join(OUT, "lenet_lightning.ckpt"))
    ema = LeNet()
    randomize(ema, g)
    torch.save({"model": lenet.state_dict(), "ema": ema.state_dict(), "epoch": 3},
               os.path.join(OUT, "lenet_two_models.pth"))
    return ema


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(2026)

    resnet = torchvision.models.resnet18(num_classes=10)
    randomize(resnet, g)
    with torch.no_grad():
        # Output layer at a tenth of the Kaiming scale: logits of a few units, like a trained classifier's, so the
        # test's absolute 1e-5 is float32 agreement (with the full scale the logits reach 14 and libtorch 2.10 vs
        # PyTorch 1.13 differ by 1.05e-5 there: 11 float32 ulps, the same relative agreement).
        resnet.fc.weight.mul_(0.1)
        resnet.fc.bias.mul_(0.1)
    resnet.eval()
    torch.save(resnet.state_dict(), os.path.join(OUT, "resnet18.pth"))
    write_safetensors(os.path.join(OUT, "resnet18.safetensors"), resnet.state_dict())
    x = torch.rand((SAMPLES, 3, 64, 64), generator=g)
    x.numpy().astype("<f4").tofile(os.path.join(OUT, "inputs.bin"))

    lenet = LeNet()
    randomize(lenet, g)
    torch.save(lenet.state_dict(), os.path.join(OUT, "lenet.pth"))
    xl = torch.rand((SAMPLES, 1, 28, 28), generator=g)
    xl.numpy().astype("<f4").tofile(os.path.join(OUT, "lenet_inputs.bin"))

    ema = training_checkpoints(lenet, g, xl)

    expected = {
        "command": COMMAND,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "resnet18": {"input_shape": [3, 64, 64], "classes": 10, "logits": logits(resnet, x).tolist()},
        "lenet": {"input_shape": [1, 28, 28], "classes": 10, "logits": logits(lenet, xl).tolist()},
        "lenet_ema": {"input_shape": [1, 28, 28], "classes": 10, "logits": logits(ema, xl).tolist()},
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    photos()


if __name__ == "__main__":
    main()
