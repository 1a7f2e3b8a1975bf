#!/usr/bin/env python3
"""Plain PyTorch per-step reference for the engine benchmark (Debian python3-torch).

PGD L-inf (Madry et al. 2018), written from the paper's formula, not from any library:
    x0 uniform in the eps-ball;  x_{t+1} = clip_[0,1]( Pi_eps( x_t + alpha * sign(grad_x L(f(x_t), y)) ) )
on the same TorchScript model and the same first N MNIST test images (IDX files), batch 256, one thread.
Prints one JSON object: seconds, gradient steps, seconds per step and per image.
"""
import gzip, json, os, struct, sys, time
import torch

def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(shape)

def main():
    model_path, data_dir, n, steps, eps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    torch.set_num_threads(1)
    # data_dir: the IDX files that `advex attack --attack fgsm --eps 0 --out DIR` writes (the clean images)
    x_all = read_idx(os.path.join(data_dir, "adversarial-images-idx3-ubyte.gz"))[:n].float().div(255).unsqueeze(1)
    y_all = read_idx(os.path.join(data_dir, "adversarial-labels-idx1-ubyte.gz"))[:n].long()
    model = torch.jit.load(model_path).eval()
    alpha = 2.5 * eps / steps
    g = torch.Generator().manual_seed(0)
    start = time.perf_counter()
    robust = 0
    for b in range(0, n, 256):
        x0, y = x_all[b:b + 256], y_all[b:b + 256]
        x = (x0 + torch.empty_like(x0).uniform_(-eps, eps, generator=g)).clamp(0, 1)
        for _ in range(steps):
            x.requires_grad_(True)
            loss = torch.nn.functional.cross_entropy(model(x), y, reduction="sum")
            grad, = torch.autograd.grad(loss, [x])
            with torch.no_grad():
                x = torch.min(torch.max(x + alpha * grad.sign(), x0 - eps), x0 + eps).clamp(0, 1)
        with torch.no_grad():
            robust += (model(x).argmax(1) == y).sum().item()
    seconds = time.perf_counter() - start
    print(json.dumps({"case": "pytorch-pgd40-reference", "images": n, "steps": steps, "seconds": round(seconds, 3),
                      "seconds_per_gradient_step_per_batch": seconds / steps / ((n + 255) // 256),
                      "seconds_per_image": seconds / n, "robust_accuracy": robust / n,
                      "torch": torch.__version__}))

if __name__ == "__main__":
    main()
