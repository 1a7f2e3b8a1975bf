#!/usr/bin/env python3
"""PyTorch eager's per-gradient-step time and peak RSS for one network of models.py, in a fresh process:

    /usr/bin/python3 benchmarks/onnx-speed/torch_step.py NAME BATCH STEPS [channels_last]

One step = logits of a batch, summed cross-entropy, gradient with respect to the input (a PGD step without the
projection), as Advex.Benchmarks --gradient-step measures it. Prints one JSON line."""

import json
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import models  # noqa: E402


def peak_rss_mib():
    with open("/proc/self/status") as f:
        line = next(l for l in f if l.startswith("VmHWM:"))
    return round(int(line.split()[1]) / 1024, 1)


def main(name, batch, steps, channels_last):
    torch.set_num_threads(1)
    model = models.build(name)
    x = torch.rand(batch, *models.NETWORKS[name], generator=torch.Generator().manual_seed(0))
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    for p in model.parameters():
        p.requires_grad_(False)
    classes = 10 if name == "cifar_resnet18" else 1000
    labels = torch.arange(batch) % classes
    times = []
    for i in range(steps + 1):
        start = time.perf_counter()
        xr = x.detach().requires_grad_(True)
        loss = F.cross_entropy(model(xr), labels, reduction="sum")
        (g,) = torch.autograd.grad(loss, xr)
        g.sum().item()
        if i > 0:
            times.append(time.perf_counter() - start)
    times.sort()
    print(json.dumps({"seconds_per_step": round(times[len(times) // 2], 4), "peak_rss_mib": peak_rss_mib(),
                      "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), len(sys.argv) > 4 and sys.argv[4] == "channels_last")
