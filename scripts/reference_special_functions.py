"""Reference values of the special functions behind randomized smoothing's certificate, from SciPy.

Writes tests/fixtures/reference/smoothing-special.json; run from the repository root with Debian's Python:

    /usr/bin/python3 scripts/reference_special_functions.py

Advex's SpecialFunctions (src/Advex/Evaluation/Smoothing) is tested against these numbers. The Clopper-Pearson
lower bound is scipy.stats.beta.ppf(alpha, k, n - k + 1), which is what statsmodels' proportion_confint(k, n,
alpha=2*alpha, method="beta")[0] (used by Cohen et al.'s code) computes.

SciPy 1.10's betaincinv loses digits far in the tails (betaincinv(1000, 3, 1e-10) is off by 1.6e-7 relative: betainc
at its answer gives 9.9985e-11), so every inverse is polished by mpmath at 50 digits, starting from SciPy's answer,
and checked to give p back (where mpmath's series converges).
"""
import json

import mpmath
import scipy
from scipy import special, stats

mpmath.mp.dps = 50


def polished_inverse(a, b, p, start):
    """The x with I_x(a, b) = p, by bisection at 50 digits in mpmath inside a bracket around SciPy's answer; SciPy's
    answer polished by bisection on SciPy's betainc for a + b > 5000 (mpmath's series converges too slowly there)."""
    if a + b > 5000:
        return bisect_scipy(a, b, p)
    return bisect_mpmath(a, b, p, start)


def bisect_scipy(a, b, p):
    """The x with I_x(a, b) = p by bisection on SciPy's betainc (Cephes' incbet) to the last bit of a double: SciPy
    1.10's betaincinv(99990, 11, 1e-10) returns 0.9435, where betainc is 0."""
    lo, hi = 0.0, 1.0
    while True:
        mid = (lo + hi) / 2
        if mid <= lo or mid >= hi:
            break
        if special.betainc(a, b, mid) < p:
            lo = mid
        else:
            hi = mid
    assert abs(special.betainc(a, b, hi) - p) <= p * 1e-6, (a, b, p)
    return hi


def bisect_mpmath(a, b, p, start):
    f = lambda x: mpmath.betainc(a, b, 0, x, regularized=True) - p
    lo, hi = mpmath.mpf(start) * (1 - mpmath.mpf("1e-3")), min(mpmath.mpf(1), mpmath.mpf(start) * (1 + mpmath.mpf("1e-3")))
    if not (f(lo) < 0 < f(hi)):
        lo, hi = mpmath.mpf(0), mpmath.mpf(1)
    for _ in range(90):
        mid = (lo + hi) / 2
        if f(mid) < 0:
            lo = mid
        else:
            hi = mid
    assert abs(f(lo)) <= mpmath.mpf(p) * mpmath.mpf("1e-15"), (a, b, p)
    return float(lo)


beta_cases = []
for a, b in [(0.5, 0.5), (1, 1), (2, 3), (10, 1), (1, 10), (50, 60), (100, 1), (1000, 3), (99990, 11), (100000, 1),
             (5e4, 5e4 + 1), (30, 71)]:
    for x in [1e-6, 0.01, 0.2, 0.5, 0.8, 0.99, 0.9999, 0.99999]:
        beta_cases.append({"x": x, "a": a, "b": b, "value": float(special.betainc(a, b, x))})

inverse_cases = []
for a, b in [(0.5, 0.5), (2, 3), (10, 1), (1, 10), (50, 60), (1000, 3), (99990, 11), (100000, 1), (5e4, 5e4 + 1)]:
    for p in [1e-10, 0.001, 0.05, 0.5, 0.95, 0.999]:
        inverse_cases.append({"p": p, "a": a, "b": b, "value": polished_inverse(a, b, p, special.betaincinv(a, b, p))})

clopper_pearson = []
for n in [100, 1000, 100000]:
    for k in sorted({1, 2, n // 2, n // 2 + 1, (9 * n) // 10, n - 5, n - 1, n}):
        for alpha in [0.001, 0.05]:
            clopper_pearson.append({"k": k, "n": n, "alpha": alpha,
                                    "lower": polished_inverse(k, n - k + 1, alpha, stats.beta.ppf(alpha, k, n - k + 1))})

normal = [{"x": x, "cdf": float(stats.norm.cdf(x))} for x in [-30, -8, -5, -3.5, -3, -2.999, -1, -0.1, 0, 0.3, 1.5, 2.9, 3, 4, 7]]
normal_inverse = [{"p": p, "ppf": float(stats.norm.ppf(p))}
                  for p in [1e-300, 1e-20, 1e-9, 0.001, 0.025, 0.3, 0.5, 0.5000001, 0.7, 0.9, 0.99, 0.99931, 0.9999, 0.99999999]]

out = {
    "generated_by": "/usr/bin/python3 scripts/reference_special_functions.py",
    "scipy_version": scipy.__version__,
    "regularized_beta": beta_cases,
    "inverse_regularized_beta": inverse_cases,
    "clopper_pearson_lower": clopper_pearson,
    "normal_cdf": normal,
    "normal_ppf": normal_inverse,
}
with open("tests/fixtures/reference/smoothing-special.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
