#!/usr/bin/python3
"""A CIFAR-size RGB fixture for AutoAttack's fast-vs-standard validation and benchmark (issue 24).

No registry ships CIFAR-10 images or weights, so this makes a synthetic 10-class task of 3x32x32 images: class c is an
oriented sinusoidal grating (angle 18c degrees, period 4 + (c mod 3) pixels) with a random phase, a random colour
tint and pixel noise. A small CNN (conv 3->16, conv 16->32, two max-pools, linear 2048->64->10, ReLU) is trained on
6,000 such images for 4 epochs (Adam 1e-3), traced to TorchScript, and 200 test images are written in CIFAR-10's
binary format (1 label byte + 1024 R + 1024 G + 1024 B per record) with batches.meta.txt, so Advex reads them as
cifar10:tests/fixtures/rgb. Deterministic (seed 0, one thread).

Run from the repository root (Debian's python3-torch):
    /usr/bin/python3 scripts/make_rgb_fixture.py
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "tests", "fixtures", "rgb")


def images(n, gen):
    labels = torch.randint(0, 10, (n,), generator=gen)
    yy, xx = torch.meshgrid(torch.arange(32.0), torch.arange(32.0), indexing="ij")
    out = torch.empty(n, 3, 32, 32)
    for i in range(n):
        c = int(labels[i])
        angle = math.radians(18 * c)
        period = 4.0 + (c % 3)
        phase = float(torch.rand(1, generator=gen)) * 2 * math.pi
        wave = torch.sin(2 * math.pi * (xx * math.cos(angle) + yy * math.sin(angle)) / period + phase)
        tint = 0.25 + 0.5 * torch.rand(3, 1, 1, generator=gen)
        img = 0.5 + 0.35 * tint * wave + 0.08 * torch.randn(3, 32, 32, generator=gen)
        out[i] = img.clamp(0, 1)
    # quantise to bytes as the CIFAR format stores them
    return (out * 255).round() / 255, labels


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 8 * 8, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(0)
    x_train, y_train = images(6000, gen)
    x_test, y_test = images(200, gen)
    net = Net()
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    for epoch in range(4):
        perm = torch.randperm(len(x_train), generator=gen)
        for start in range(0, len(x_train), 100):
            idx = perm[start:start + 100]
            opt.zero_grad()
            F.cross_entropy(net(x_train[idx]), y_train[idx]).backward()
            opt.step()
    net.eval()
    with torch.no_grad():
        acc = (net(x_test).argmax(1) == y_test).float().mean().item()
    traced = torch.jit.trace(net, x_test[:2])
    os.makedirs(OUT, exist_ok=True)
    traced.save(os.path.join(OUT, "rgbnet.pt"))
    records = bytearray()
    for i in range(len(x_test)):
        records.append(int(y_test[i]))
        records += bytes((x_test[i] * 255).round().to(torch.uint8).flatten().tolist())
    with open(os.path.join(OUT, "test_batch.bin"), "wb") as f:
        f.write(bytes(records))
    with open(os.path.join(OUT, "batches.meta.txt"), "w") as f:
        f.write("\n".join("grating%d" % c for c in range(10)) + "\n")
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"generated_by": "/usr/bin/python3 scripts/make_rgb_fixture.py", "torch_version": torch.__version__,
                   "test_images": len(x_test), "clean_accuracy": acc}, f, indent=1)
        f.write("\n")
    print("clean accuracy", acc)


if __name__ == "__main__":
    main()
