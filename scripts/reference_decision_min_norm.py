"""Independent references for Advex's FMN, EAD and HopSkipJump, written from the papers (not from Advex's C#, and
without any third-party attack library), run on the TorchScript LeNet fixture and the first N MNIST test images.
Writes tests/fixtures/reference/decision-min-norm-lenet.json, read by MinimumNormReferenceTests.

    OMP_NUM_THREADS=1 /usr/bin/python3 scripts/reference_decision_min_norm.py

- FMN: Pintor, Roli, Brendel, Biggio 2021, "Fast Minimum-norm Adversarial Attacks through Adaptive Norm
  Constraints", Algorithm 1 (cosine-annealed step α and ε-factor γ; ε set from the linearised distance to the
  boundary until a first adversarial point, then multiplied by 1 ∓ γ; L0 rounds ε to integers).
- EAD: Chen, Sharma, Zhang, Yi, Hsieh 2018, "EAD: Elastic-Net Attacks to Deep Neural Networks", Algorithm 1 (FISTA
  with the projected shrinkage-thresholding S_β, square-root learning-rate decay, binary search on c, L1 decision
  rule), with torchattacks' default hyper-parameters.
- HopSkipJump: Chen, Jordan, Wainwright 2020, Algorithm 2 (binary search to the boundary, Monte-Carlo estimate of
  the boundary normal with B0*sqrt(t) queries, geometric step search), one image at a time, a per-image query budget.
"""
import gzip, json, math, os

import numpy as np
import torch

torch.set_num_threads(1)
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..")
N = 64
with gzip.open(os.path.join(root, "data", "mnist", "t10k-images-idx3-ubyte.gz")) as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
with gzip.open(os.path.join(root, "data", "mnist", "t10k-labels-idx1-ubyte.gz")) as f:
    labels = np.frombuffer(f.read(), np.uint8, offset=8)
X = torch.tensor(images[:N], dtype=torch.float32) / 255.0
Y = torch.tensor(labels[:N], dtype=torch.int64)
model = torch.jit.load(os.path.join(root, "tests", "fixtures", "torchscript", "lenet.pt")).eval()


def margin(z, c):
    """z_c - max_{j != c} z_j per row (negative once the label c is left)."""
    own = z.gather(1, c[:, None])[:, 0]
    others = z.clone()
    others.scatter_(1, c[:, None], -float("inf"))
    return own - others.max(1).values


def pnorm(t, p):
    t = t.flatten(1)
    if p == 0:
        return (t != 0).sum(1).to(t.dtype)
    if p == float("inf"):
        return t.abs().max(1).values
    return t.abs().pow(p).sum(1).pow(1.0 / p)


# ----------------------------------------------------------------------------------------------- FMN (Pintor 2021)
def project(delta, eps, p):
    flat = delta.flatten(1).clone()
    for i in range(flat.shape[0]):
        e, v = eps[i].item(), flat[i]
        if math.isinf(e):
            continue
        if p == float("inf"):
            v.clamp_(-e, e)
        elif p == 2:
            n = v.norm()
            if n > e:
                v.mul_(e / n)
        elif p == 1:
            if v.abs().sum() > e:  # Duchi et al. 2008, projection onto the simplex of |v|
                a = v.abs().double()
                u, _ = a.sort(descending=True)
                css = u.cumsum(0)
                k = torch.arange(1, len(u) + 1, dtype=torch.float64)
                hits = (u - (css - e) / k > 0).nonzero()
                rho = int(hits.max()) + 1 if len(hits) else 1
                tau = (css[rho - 1] - e) / rho
                flat[i] = (torch.sign(v).double() * (a - tau).clamp(min=0)).float()
        else:
            k = int(max(1, min(len(v), math.floor(e))))
            thresh = v.abs().sort(descending=True).values[k - 1]
            v.mul_((v.abs() >= thresh).float())
    return flat.view_as(delta)


def fmn(x, y, p, steps=100, a0=1.0, g0=0.05, g1=0.001, feasible=False):
    """feasible: Advex's variant, the step's gradient without the coordinates the box blocks (at 0 going down, at 1
    going up), as Advex's DeepFool; the paper's FMN otherwise."""
    a1 = a0 / 100
    dual = {float("inf"): 1, 2: 2, 1: float("inf")}.get(p)
    n = x.shape[0]
    worst = pnorm(torch.maximum(x, 1 - x), p)
    best, best_norm = x.clone(), worst.clone()
    found = torch.zeros(n, dtype=torch.bool)
    eps = torch.ones(n) if p == 0 else torch.full((n,), float("inf"))
    delta = torch.zeros_like(x)
    for k in range(steps):
        c = (1 + math.cos(math.pi * k / steps)) / 2
        alpha, gamma = a1 + (a0 - a1) * c, g1 + (g0 - g1) * c
        d = delta.clone().requires_grad_(True)
        z = model(x + d)
        loss = -margin(z, y)  # ascended: positive once adversarial
        g, = torch.autograd.grad(loss.sum(), d)
        with torch.no_grad():
            dn = pnorm(delta, p)
            adv = z.argmax(1) != y
            better = adv & (dn < best_norm)
            found |= adv
            best_norm = torch.where(better, dn, best_norm)
            best[better] = (x + delta)[better]
            if p == 0:
                eps = torch.where(adv, torch.minimum(torch.minimum(eps - 1, torch.floor(eps * (1 - gamma))), best_norm),
                                  torch.maximum(eps + 1, torch.floor(eps * (1 + gamma)))).clamp(min=0)
            else:
                dist = loss.abs() / pnorm(g, dual).clamp(min=1e-12)
                eps = torch.where(adv, torch.minimum(eps * (1 - gamma), best_norm),
                                  torch.where(found, eps * (1 + gamma), dn + dist))
            eps = torch.minimum(eps, worst)
            if feasible:
                g = g.masked_fill(((x + delta <= 0) & (g < 0)) | ((x + delta >= 1) & (g > 0)), 0)
            step = g / g.flatten(1).norm(dim=1).clamp(min=1e-12).view(-1, 1, 1, 1)
            delta = project(delta + alpha * step, eps, p)
            delta = (x + delta).clamp(0, 1) - x
    return best


# ----------------------------------------------------------------------------------------------- EAD (Chen 2018)
def ead(x, y, steps=100, lr0=0.01, c0=1e-3, bss=9, beta=1e-3, kappa=0.0):
    n = x.shape[0]
    c = torch.full((n,), c0)
    lo, hi = torch.zeros(n), torch.full((n,), 1e10)
    best, best_l1 = x.clone(), torch.full((n,), float("inf"))
    for _ in range(bss):
        xk, yk = x.clone(), x.clone()
        round_found = torch.zeros(n, dtype=torch.bool)
        active = torch.ones(n, dtype=torch.bool)
        prev = torch.full((n,), float("inf"))
        every = max(1, steps // 10)
        for k in range(steps):
            yr = yk.clone().requires_grad_(True)
            g_loss = (c * margin(model(yr), y).clamp(min=-kappa)).sum() + (yr - x).pow(2).sum()
            grad, = torch.autograd.grad(g_loss, yr)
            with torch.no_grad():
                lr = lr0 * math.sqrt(1 - k / steps)
                zz = yk - lr * grad
                diff = zz - x
                new = torch.where(diff > beta, (zz - beta).clamp(max=1), torch.where(diff < -beta, (zz + beta).clamp(min=0), x))
                act = active.view(-1, 1, 1, 1)
                new = torch.where(act, new, xk)
                yk = torch.where(act, new + (k + 1) / (k + 4) * (new - xk), yk)
                xk = new
                m = margin(model(xk), y)
                l1 = (xk - x).flatten(1).abs().sum(1)
                ok = m < -kappa
                round_found |= ok
                better = ok & (l1 < best_l1)
                best_l1 = torch.where(better, l1, best_l1)
                best[better] = xk[better]
                if (k + 1) % every == 0:
                    en = c * m.clamp(min=-kappa) + (xk - x).flatten(1).pow(2).sum(1) + beta * l1
                    active &= ~(en > prev * 0.999999)
                    prev = en
                    if not active.any():
                        break
        # c: bisect down after a success, up (x10 while unbounded) after a failure
        hi = torch.where(round_found, torch.minimum(hi, c), hi)
        lo = torch.where(round_found, lo, torch.maximum(lo, c))
        c = torch.where(hi < 1e9, (lo + hi) / 2, c * 10)
    return best


# ----------------------------------------------------------------------------------------- HopSkipJump (Chen 2020)
def hsj(x0, y0, p, budget, gen, gamma=1.0, b0=100, bmax=10000, steps=64):
    """One image: returns (adversarial or None, queries used)."""
    used = [0]
    d = x0.numel()
    theta = gamma / (d * math.sqrt(d)) if p == 2 else gamma / (d * d)
    search_steps = math.ceil(math.log2(1 / theta)) + 1

    def phi(batch):
        used[0] += batch.shape[0]
        with torch.no_grad():
            return model(batch).argmax(1) != y0

    def dist(a):
        return (a - x0).norm().item() if p == 2 else (a - x0).abs().max().item()

    def boundary(adv):
        if p == 2:
            lo_, hi_, thr = 0.0, 1.0, theta
            point = lambda s: (1 - s) * x0 + s * adv
        else:
            hi_ = dist(adv)
            lo_, thr = 0.0, min(hi_ * theta, theta)
            point = lambda s: torch.minimum(torch.maximum(adv, x0 - s), x0 + s)
        while hi_ - lo_ > thr:
            mid = (lo_ + hi_) / 2
            if phi(point(mid)[None])[0]:
                hi_ = mid
            else:
                lo_ = mid
        return point(hi_)

    if phi(x0[None])[0]:
        return None, used[0]
    start = None
    for _ in range(100):
        noise = torch.rand(x0.shape, generator=gen)
        if phi(noise[None])[0]:
            start = noise
            break
    if start is None:
        return None, used[0]
    xt = boundary(start)
    for t in range(1, steps + 1):
        B = int(min(b0 * math.sqrt(t), bmax))
        if used[0] + B + 26 + search_steps > budget:
            break
        dt = dist(xt)
        delta = 0.1 if t == 1 else (math.sqrt(d) * theta * dt if p == 2 else d * theta * dt)
        u = torch.randn((B,) + x0.shape, generator=gen) if p == 2 else torch.rand((B,) + x0.shape, generator=gen) * 2 - 1
        u = u / u.flatten(1).norm(dim=1).view(-1, 1, 1, 1)
        pert = (xt[None] + delta * u).clamp(0, 1)
        u = (pert - xt[None]) / delta
        f = phi(pert).float() * 2 - 1
        w = f if abs(f.mean().item()) == 1 else f - f.mean()
        g = (w.view(-1, 1, 1, 1) * u).mean(0)
        v = g / g.norm().clamp(min=1e-12) if p == 2 else g.sign()
        xi = dt / math.sqrt(t)
        for _ in range(26):
            cand = (xt + xi * v).clamp(0, 1)
            if phi(cand[None])[0]:
                break
            xi /= 2
        else:
            xi = 0.0
        xt = boundary((xt + xi * v).clamp(0, 1))
    return xt, used[0]


out = {"model": "tests/fixtures/torchscript/lenet.pt", "data": "mnist test, first %d" % N, "torch": torch.__version__,
       "generator": "OMP_NUM_THREADS=1 /usr/bin/python3 scripts/reference_decision_min_norm.py"}
with torch.no_grad():
    correct = model(X).argmax(1) == Y
out["clean_correct"] = int(correct.sum())


def summary(adv, p):
    """Success over the correctly classified images, the median norm of the successes, and per image its norm (null
    when it was misclassified to begin with or not broken)."""
    with torch.no_grad():
        ok = (model(adv).argmax(1) != Y) & correct
        all_norms = pnorm(adv - X, p)
    norms = all_norms[ok]
    return {"success": ok.sum().item() / correct.sum().item(), "median_norm": norms.median().item() if len(norms) else None,
            "norms": [all_norms[i].item() if ok[i] else None for i in range(N)]}


out["fmn"] = {"steps": 100, "alpha_init": 1.0}
for name, p in [("linf", float("inf")), ("l2", 2), ("l1", 1), ("l0", 0)]:
    out["fmn"][name] = {"paper": summary(fmn(X, Y, p), p), "feasible": summary(fmn(X, Y, p, feasible=True), p)}
    print("fmn", name, {k: (v["success"], v["median_norm"]) for k, v in out["fmn"][name].items()}, flush=True)
out["ead"] = {"steps": 100, "lr": 0.01, "c": 1e-3, "binary_search_steps": 9, "beta": 1e-3, "l1": summary(ead(X, Y), 1)}
print("ead", out["ead"]["l1"]["success"], out["ead"]["l1"]["median_norm"], flush=True)
out["hsj"] = {"queries": 1000, "seeds": [0, 1, 2]}
for name, p, eps in [("l2", 2, [1.5, 2.0, 3.0]), ("linf", float("inf"), [0.2, 0.3])]:
    runs = []
    for seed in out["hsj"]["seeds"]:
        gen = torch.Generator().manual_seed(seed)
        norms, most = [], 0
        for i in range(N):
            if not correct[i]:
                continue
            adv, q = hsj(X[i], Y[i], p, 1000, gen)
            most = max(most, q)
            norms.append(float("inf") if adv is None else (adv - X[i]).flatten().norm(p).item())
        norms = np.array(norms)
        runs.append({"success_at_eps": {str(e): float((norms <= e).mean()) for e in eps},
                     "median_norm": float(np.median(norms)), "max_queries": most})
    out["hsj"][name] = runs
    print("hsj", name, runs, flush=True)
path = os.path.join(root, "tests", "fixtures", "reference", "decision-min-norm-lenet.json")
with open(path, "w") as f:
    json.dump(out, f, indent=2)
print(json.dumps(out))
