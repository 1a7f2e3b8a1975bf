"""Independent reference for Advex's universal adversarial perturbations (attack --universal), written from the papers
(not from Advex's C#, and without any third-party attack library), on the TorchScript LeNet fixture: the perturbation
is learned on the first TRAIN MNIST training images and its fooling rate measured on the first HELDOUT MNIST test
images, over several seeds (the seed only orders the training images), so a test can compare Advex's fooling rate with
the spread of this one. Writes tests/fixtures/reference/universal-lenet.json, read by UniversalReferenceTests.

    OMP_NUM_THREADS=1 /usr/bin/python3 scripts/reference_universal.py

- deepfool: Moosavi-Dezfooli, Fawzi, Fawzi, Frossard 2017, "Universal adversarial perturbations", Algorithm 1: for
  each training image x_i (in a shuffled order per pass) that v does not fool yet, the minimal perturbation Δv_i that
  DeepFool (Moosavi-Dezfooli, Fawzi, Frossard 2016, Algorithm 2, multi-class, all classes) finds at clip(x_i + v), if
  it crosses the boundary within its steps, is added and v projected back onto the ξ-ball; passes stop once the
  training fooling rate reaches 1 − δ.
- sgd: Shafahi, Najibi, Xu, Dickerson, Davis, Goldstein 2020, "Universal adversarial training", Algorithm 2 (sgd-UAP):
  over shuffled minibatches B, δ ← P(δ + α·sign(g)) (L∞) or α·g/‖g‖₂ (L2),
  g = ∇_δ mean_{x∈B} min(CE(f(clip(x + δ)), k̂(x)), β), α decayed by a factor per pass.
The images x + v are clipped to [0, 1] before the model everywhere; the "label" of an image is the model's clean
prediction k̂(x), and the fooling rate is the fraction of held-out images whose prediction v changes.
"""
import gzip, json, math, os, statistics, sys

import numpy as np
import torch

torch.set_num_threads(1)
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..")
TRAIN, HELDOUT = 500, 500  # images loaded; each configuration learns on its first `train`
SEEDS = list(range(10))


def idx(name, offset, shape):
    with gzip.open(os.path.join(root, "data", "mnist", name)) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset).reshape(shape)


X_train = torch.tensor(idx("train-images-idx3-ubyte.gz", 16, (-1, 1, 28, 28))[:TRAIN], dtype=torch.float32) / 255.0
X_held = torch.tensor(idx("t10k-images-idx3-ubyte.gz", 16, (-1, 1, 28, 28))[:HELDOUT], dtype=torch.float32) / 255.0
model = torch.jit.load(os.path.join(root, "tests", "fixtures", "torchscript", "lenet.pt")).eval()


def predict(x):
    with torch.no_grad():
        return torch.cat([model(x[i:i + 250]).argmax(1) for i in range(0, len(x), 250)])


def apply(x, v):
    return (x + v).clamp(0, 1)


def project(v, eps, norm):
    if norm == "linf":
        return v.clamp(-eps, eps)
    n = v.norm()
    return v * (eps / n) if n > eps else v


def fooling_rate(x, clean, v):
    return (predict(apply(x, v)) != clean).double().mean().item()


# ------------------------------------------------------------------------------------- DeepFool (2016), one image
def deepfool(x0, label, steps, overshoot):
    """Algorithm 2 of DeepFool, multi-class: r_tot accumulates the steps onto the closest linearised boundary
    |f_k| / ‖w_k‖₂ (k ≠ label, f_k = Z_k − Z_label, w_k = ∇f_k), the iterate is clip(x0 + (1 + overshoot) r_tot).
    Returns the perturbation from x0 and whether the prediction left the label."""
    r_tot = torch.zeros_like(x0)
    x = x0.clone()
    for _ in range(steps):
        xr = x.clone().requires_grad_(True)
        z = model(xr)[0]
        if z.argmax().item() != label:
            return x - x0, True
        grads = torch.stack([torch.autograd.grad(z[k], xr, retain_graph=True)[0][0] for k in range(z.shape[0])])
        best, step = math.inf, None
        for k in range(z.shape[0]):
            if k == label:
                continue
            w = grads[k] - grads[label]
            f = (z[k] - z[label]).item()
            wn = w.norm().item()
            d = abs(f) / max(wn, 1e-12)
            if d < best:
                best, step = d, (abs(f) + 1e-4) / max(wn * wn, 1e-24) * w
        r_tot = r_tot + step
        x = (x0 + (1 + overshoot) * r_tot).clamp(0, 1)
    with torch.no_grad():
        crossed = model(x).argmax(1).item() != label
    return x - x0, crossed


def deepfool_uap(x, clean, eps, norm, seed, passes, target, steps=50, overshoot=0.02):
    g = torch.Generator().manual_seed(seed)
    v = torch.zeros_like(x[0:1])
    rate = 0.0
    for _ in range(passes):
        for i in torch.randperm(len(x), generator=g).tolist():
            xv = apply(x[i:i + 1], v)
            with torch.no_grad():
                if model(xv).argmax(1).item() != clean[i].item():
                    continue
            dv, crossed = deepfool(xv, clean[i].item(), steps, overshoot)
            if crossed:
                v = project(v + dv, eps, norm)
        rate = fooling_rate(x, clean, v)
        if rate >= target:
            break
    return v, rate


# ------------------------------------------------------------------------------------------ sgd-UAP (Shafahi 2020)
def sgd_uap(x, clean, eps, norm, seed, passes, batch=64, step=None, decay=0.8, beta=9.0):
    g = torch.Generator().manual_seed(seed)
    v = torch.zeros_like(x[0:1])
    alpha = eps / 10 if step is None else step
    for _ in range(passes):
        order = torch.randperm(len(x), generator=g)
        for s in range(0, len(x), batch):
            b = order[s:s + batch]
            vr = v.clone().requires_grad_(True)
            ce = torch.nn.functional.cross_entropy(model(apply(x[b], vr)), clean[b], reduction="none")
            grad, = torch.autograd.grad(ce.clamp(max=beta).mean(), vr)
            d = grad.sign() if norm == "linf" else grad / grad.norm().clamp(min=1e-12)
            v = project(v + alpha * d, eps, norm).detach()
        alpha *= decay
    return v, fooling_rate(x, clean, v)


CONFIGS = [
    dict(name="sgd-linf", method="sgd", norm="linf", eps=0.25, passes=5, train=500),
    dict(name="deepfool-l2", method="deepfool", norm="l2", eps=4.0, passes=2, target=0.8, train=200),
]


def main():
    only = sys.argv[1:]
    clean_train, clean_held = predict(X_train), predict(X_held)
    out = {"model": "tests/fixtures/torchscript/lenet.pt", "train": "first `train` MNIST training images",
           "heldout": f"first {HELDOUT} MNIST test images", "seeds": SEEDS, "configs": []}
    for c in CONFIGS:
        if only and c["name"] not in only:
            continue
        rates, train_rates, norms = [], [], []
        x, clean = X_train[:c["train"]], clean_train[:c["train"]]
        for seed in SEEDS:
            if c["method"] == "sgd":
                v, tr = sgd_uap(x, clean, c["eps"], c["norm"], seed, c["passes"])
            else:
                v, tr = deepfool_uap(x, clean, c["eps"], c["norm"], seed, c["passes"], c["target"])
            rates.append(fooling_rate(X_held, clean_held, v))
            train_rates.append(tr)
            norms.append(v.abs().max().item() if c["norm"] == "linf" else v.norm().item())
            print(c["name"], seed, f"train {tr:.4f} heldout {rates[-1]:.4f} norm {norms[-1]:.4f}", flush=True)
        out["configs"].append(dict(c, heldout_fooling_rate=rates, train_fooling_rate=train_rates, norm_of_v=norms,
                                   mean=statistics.mean(rates), sd=statistics.stdev(rates)))
        print(c["name"], f"mean {statistics.mean(rates):.4f} sd {statistics.stdev(rates):.4f}", flush=True)
    if not only:
        with open(os.path.join(root, "tests", "fixtures", "reference", "universal-lenet.json"), "w") as f:
            json.dump(out, f, indent=1)


main()
