#!/usr/bin/env python3
"""The four networks of the speed benchmark (issue 23, item 4), random seeded weights, exported for Advex:

    /usr/bin/python3 benchmarks/onnx-speed/models.py WORKDIR

writes WORKDIR/NAME.onnx (opset 17, dynamic batch) and WORKDIR/NAME.pt (torch.jit.trace) for
cifar_resnet18 (3x32x32: torchvision's ResNet-18 with a 3x3 stride-1 stem and no max-pool, 10 classes, as the
usual CIFAR variant), resnet50, mobilenet_v2 and vit_b_16 (3x224x224, 1000 classes)."""

import os
import sys

import torch
import torch.nn as nn
import torchvision

NETWORKS = {
    "cifar_resnet18": (3, 32, 32),
    "resnet50": (3, 224, 224),
    "mobilenet_v2": (3, 224, 224),
    "vit_b_16": (3, 224, 224),
}


def build(name):
    torch.manual_seed(0)
    if name == "cifar_resnet18":
        model = torchvision.models.resnet18(weights=None, num_classes=10)
        model.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        model.maxpool = nn.Identity()
    else:
        model = getattr(torchvision.models, name)(weights=None)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    return model.eval()


def main(folder):
    os.makedirs(folder, exist_ok=True)
    for name, shape in NETWORKS.items():
        model = build(name)
        x = torch.rand(2, *shape)
        torch.onnx.export(model, x, os.path.join(folder, f"{name}.onnx"), opset_version=17, input_names=["input"],
                          output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        # ViT's trace check fails on TorchScript's own name mangling (the graphs are the same), so it is skipped
        torch.jit.trace(model, x, check_trace=name != "vit_b_16").save(os.path.join(folder, f"{name}.pt"))
        print(f"exported {name}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
