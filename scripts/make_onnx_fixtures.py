#!/usr/bin/env python3
"""Generate the ONNX test fixtures for Advex (tests/fixtures/onnx).

Run from anywhere (paths are resolved relative to the repository root), with Debian's PyTorch:

    /usr/bin/python3 scripts/make_onnx_fixtures.py
    /usr/bin/python3 scripts/make_onnx_fixtures.py --families  # only the torchvision family variants below
    /usr/bin/python3 scripts/make_onnx_fixtures.py --zoo DIR   # optional: torchvision exports for OnnxZooTests

Inputs : tests/fixtures/torchscript/lenet.pt (made by scripts/make_torchscript_fixtures.py; run that first)
Outputs: tests/fixtures/onnx/{cnn.onnx, cnn.pt, inputs.bin, input_grads.bin, expected.json, lenet.onnx}
         tests/fixtures/onnx/families/: a small-width variant of every torchvision classification family
         (scripts/onnx_families.py) exported at opsets 13 and 17, with PyTorch's logits and input gradients

The model is a small RGB CNN (3x32x32 -> 10 logits) with BatchNorm, untrained but with seeded, non-trivial
weights and running statistics. It expects per-channel normalized input (x - mean) / std; the references below
are all for pixels x in [0,1] with that normalization applied first, which is what Advex does inside a Classifier
given the same Normalization. Every number is computed here by PyTorch; nothing is typed by hand. The run is
deterministic (fixed seed, one thread).
"""

import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(REPO, "tests", "fixtures", "onnx")
COMMAND = "/usr/bin/python3 scripts/make_onnx_fixtures.py"

MEAN = [0.4914, 0.4822, 0.4465]  # CIFAR-10's per-channel statistics
STD = [0.2470, 0.2435, 0.2616]
SAMPLES = 4
OPSET = 13


class SmallRgbCnn(nn.Module):
    """conv-bn-relu, maxpool, conv-relu-bn, avgpool, flatten, linear. The second BatchNorm follows a ReLU, so the
    exporter cannot fold it into the convolution and the graph keeps a BatchNormalization node."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(16)
        self.fc = nn.Linear(16 * 8 * 8, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.avg_pool2d(self.bn2(F.relu(self.conv2(x))), 2)
        return self.fc(torch.flatten(x, 1))


def make_model():
    model = SmallRgbCnn()
    with torch.no_grad():
        for bn in (model.bn1, model.bn2):
            c = bn.num_features
            bn.weight.copy_(1 + 0.2 * torch.randn(c))
            bn.bias.copy_(0.1 * torch.randn(c))
            bn.running_mean.copy_(0.1 * torch.randn(c))
            bn.running_var.copy_(0.5 + torch.rand(c))
    return model.eval()


def normalize(x):
    return (x - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)


def logits_and_grads(model, x, labels, normalized=True):
    x = x.clone().requires_grad_(True)
    logits = model(normalize(x) if normalized else x)
    loss = F.cross_entropy(logits, labels, reduction="sum")
    (grad,) = torch.autograd.grad(loss, x)
    return logits.detach(), grad


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    model = make_model()
    x = torch.rand(SAMPLES, 3, 32, 32)
    labels = torch.arange(SAMPLES) % 10

    onnx_path = os.path.join(OUT, "cnn.onnx")
    torch.onnx.export(model, normalize(x), onnx_path, opset_version=OPSET, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    graph = onnx.load(onnx_path)
    onnx.checker.check_model(graph)
    ops = sorted({n.op_type for n in graph.graph.node})
    assert "BatchNormalization" in ops, ops

    ts_path = os.path.join(OUT, "cnn.pt")
    torch.jit.trace(model, normalize(x)).save(ts_path)
    reloaded = torch.jit.load(ts_path).eval()

    logits, grads = logits_and_grads(model, x, labels)
    ts_logits, ts_grads = logits_and_grads(reloaded, x, labels)
    assert torch.equal(logits, ts_logits) and torch.allclose(grads, ts_grads, atol=1e-6)

    x.numpy().astype("<f4").tofile(os.path.join(OUT, "inputs.bin"))
    grads.numpy().astype("<f4").tofile(os.path.join(OUT, "input_grads.bin"))
    expected = {
        "generated_by": COMMAND,
        "torch_version": torch.__version__,
        "onnx_version": onnx.__version__,
        "opset": OPSET,
        "ops": ops,
        "input_shape": [3, 32, 32],
        "classes": 10,
        "samples": SAMPLES,
        "mean": MEAN,
        "std": STD,
        "labels": labels.tolist(),
        "logits": [[float(v) for v in row] for row in logits.numpy()],
        "inputs": "inputs.bin: float32 little-endian [samples,3,32,32], pixels in [0,1]",
        "input_grads": "input_grads.bin: float32 little-endian [samples,3,32,32], d/dx of sum_i CE(model((x_i-mean)/std), labels_i)",
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    export_lenet()
    export_families()
    print(f"wrote {OUT}: ops {ops}")


def export_lenet():
    """The trained MNIST LeNet of the TorchScript fixtures as ONNX, so that Advex's MNIST tests and the command line
    can run an ONNX model end to end; its references are the TorchScript fixture's expected.json."""
    lenet = torch.jit.load(os.path.join(REPO, "tests", "fixtures", "torchscript", "lenet.pt")).eval()
    example = torch.rand(2, 1, 28, 28)
    path = os.path.join(OUT, "lenet.onnx")
    torch.onnx.export(lenet, example, path, opset_version=OPSET, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    onnx.checker.check_model(onnx.load(path))


FAMILY_SAMPLES = 2
FAMILY_OPSETS = (13, 17)


def export_families():
    """Per family: NAME_opset13.onnx, NAME_opset17.onnx, NAME.inputs.u8 (uint8 pixels, the input is value/255),
    NAME.grads.bin (float32 d/dx of sum_i CE(model(x_i), label_i)) and an entry in families.json (size, labels,
    logits, op types per opset). The variants take pixels in [0,1] directly (no normalization)."""
    import onnx_families
    folder = os.path.join(OUT, "families")
    os.makedirs(folder, exist_ok=True)
    torch.set_num_threads(1)
    index = {"generated_by": COMMAND, "torch_version": torch.__version__, "onnx_version": onnx.__version__,
             "samples": FAMILY_SAMPLES, "families": {}}
    for seed, name in enumerate(sorted(onnx_families.FAMILIES)):
        model, size = onnx_families.build(name, seed)
        generator = torch.Generator().manual_seed(1000 + seed)
        pixels = torch.randint(0, 256, (FAMILY_SAMPLES, 3, size, size), generator=generator, dtype=torch.uint8)
        x = pixels.float() / 255
        labels = torch.arange(FAMILY_SAMPLES) % onnx_families.CLASSES
        logits, grads = logits_and_grads(model, x, labels, normalized=False)
        ops = {}
        for opset in FAMILY_OPSETS:
            path = os.path.join(folder, f"{name}_opset{opset}.onnx")
            torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"], output_names=["logits"],
                              dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
            graph = onnx.load(path)
            onnx.checker.check_model(graph)
            ops[str(opset)] = sorted({n.op_type for n in graph.graph.node})
        pixels.numpy().tofile(os.path.join(folder, f"{name}.inputs.u8"))
        grads.numpy().astype("<f4").tofile(os.path.join(folder, f"{name}.grads.bin"))
        index["families"][name] = {
            "input_shape": [3, size, size],
            "parameters": sum(p.numel() for p in model.parameters()),
            "labels": labels.tolist(),
            "logits": [[float(v) for v in row] for row in logits.numpy()],
            "ops": ops,
        }
        print(f"exported {name}")
    with open(os.path.join(folder, "families.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")


# one full-size model of every classification family of torchvision 0.14 (issue 23), and a few second members
ZOO = ["alexnet", "convnext_tiny", "densenet121", "efficientnet_b0", "efficientnet_v2_s", "googlenet", "inception_v3",
       "mnasnet0_5", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "regnet_x_400mf", "regnet_y_400mf",
       "resnet18", "resnet50", "resnext50_32x4d", "shufflenet_v2_x0_5", "squeezenet1_1", "swin_t", "vgg11_bn",
       "vit_b_16", "wide_resnet50_2"]


def export_zoo(folder):
    """Optional, not committed (hundreds of MB): torchvision classifiers with random weights and non-trivial
    BatchNorm statistics, exported at opsets 13 and 17, for tests/.../OnnxZooTests (ADVEX_ONNX_ZOO=folder)."""
    import torchvision
    os.makedirs(folder, exist_ok=True)
    for name in ZOO:
        # googlenet's own init keeps its activations small; inception_v3's (truncated normal, std 0.1) gives logits
        # of 1e12 with random weights, so it keeps PyTorch's default init
        kwargs = {"googlenet": {"aux_logits": False, "init_weights": True},
                  "inception_v3": {"aux_logits": False, "init_weights": False}}.get(name, {})
        model = getattr(torchvision.models, name)(weights=None, **kwargs).eval()
        with torch.no_grad():
            if name.startswith("vit_"):
                nn.init.normal_(model.heads.head.weight, std=0.02)  # zero-initialized: all-zero logits test nothing
            for m in model.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.running_mean.uniform_(-0.1, 0.1)
                    m.running_var.uniform_(0.5, 1.5)
        for opset in (13, 17):
            torch.onnx.export(model, torch.rand(2, 3, 224, 224), os.path.join(folder, f"{name}_{opset}.onnx"),
                              opset_version=opset, input_names=["input"], output_names=["logits"],
                              dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        print(f"exported {name}", flush=True)


if __name__ == "__main__":
    torch.manual_seed(0)
    if len(sys.argv) == 3 and sys.argv[1] == "--zoo":
        export_zoo(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "--families":
        export_families()
    else:
        main()
