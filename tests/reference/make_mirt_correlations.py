#!/usr/bin/env python3
"""Reference correlations between domains for skillcat's correlation estimate, from mirt.

mirt (PyPI, MIT) is a Python implementation of multidimensional item response theory after
R's mirt. This script simulates one dataset, fits it with mirt's confirmatory multidimensional
2PL (each item loads on its own domain, item parameters fixed at their true values, factor
correlations estimated by EM), and writes `mirt_correlations.json` next to itself; the Rust test
`tests/correlations.rs` reads that file, so `cargo test` needs no Python.

Regenerate (from the repository root; about five minutes):

    python3 -m venv /tmp/mirt-venv
    /tmp/mirt-venv/bin/pip install mirt==1.2.0
    /tmp/mirt-venv/bin/python tests/reference/make_mirt_correlations.py

Dataset: three domains of 12 2PL items (a ~ U(0.8, 2.0), b ~ N(0, 1) clipped to [-2.5, 2.5]),
1,000 learners with theta ~ MVN(0, SIGMA); learners 900-999 answered no item of the third
domain (missing at random). Responses are written per learner as a string, one character per
item in domain order: "1" right, "0" wrong, "-" not answered.

Two references, with item parameters fixed in both:

- "pairs": for each pair of domains, a two-factor fit on the pair's items alone. This is the
  bivariate marginal likelihood that skillcat maximises pair by pair, so the two estimates of
  one pair differ only by quadrature (mirt: Gauss-Hermite, PAIR_POINTS per dimension; skillcat:
  61 equally spaced nodes on [-6, 6]).
- "joint": one three-factor fit of all items, the full-information estimate. skillcat's
  pairwise estimate is a different estimator of the same correlations, so these differ by a
  fraction of their standard error.
"""

from __future__ import annotations

import importlib.metadata
import json
import pathlib

import mirt
import numpy as np

SEED = 20250
LEARNERS = 1000
ITEMS = 12
SIGMA = np.array([[1.0, 0.6, 0.4], [0.6, 1.0, 0.5], [0.4, 0.5, 1.0]])
MISSING_THIRD = range(900, 1000)
PAIR_POINTS = 41
JOINT_POINTS = 21
TOL = 1e-8


def fit(data, slopes, intercepts, domains):
    """mirt's factor correlations for the items of `domains`, item parameters fixed."""
    k = len(domains)
    columns = [i for d in domains for i in range(d * ITEMS, (d + 1) * ITEMS)]
    lines = [f"F{f + 1} = {f * ITEMS + 1}-{(f + 1) * ITEMS}" for f in range(k)]
    lines.append("COV = " + "*".join(f"F{f + 1}" for f in range(k)))
    a = np.zeros((k * ITEMS, k))
    for f in range(k):
        a[f * ITEMS:(f + 1) * ITEMS, f] = slopes[domains[f] * ITEMS:(domains[f] + 1) * ITEMS]
    result = mirt.fit_mirt(
        data[:, columns],
        model="2PL",
        spec="\n".join(lines),
        start_values={"slopes": a, "intercepts": intercepts[columns]},
        fixed={"slopes": True, "intercepts": True},
        n_quadpts=PAIR_POINTS if k == 2 else JOINT_POINTS,
        tol=TOL,
        max_iter=5000,
        compute_standard_errors=False,
    )
    assert result.converged, domains
    # The items stayed where they were put.
    assert np.allclose(result.model.parameters["slopes"], a)
    return np.asarray(result.latent_covariance), int(result.n_iterations)


def main():
    rng = np.random.Generator(np.random.PCG64(SEED))
    k = SIGMA.shape[0]
    theta = rng.multivariate_normal(np.zeros(k), SIGMA, size=LEARNERS)
    a = rng.uniform(0.8, 2.0, size=k * ITEMS)
    b = np.clip(rng.normal(size=k * ITEMS), -2.5, 2.5)
    domain = np.repeat(np.arange(k), ITEMS)
    p = 1.0 / (1.0 + np.exp(-a * (theta[:, domain] - b)))
    data = (rng.uniform(size=p.shape) < p).astype(int)
    for learner in MISSING_THIRD:
        data[learner, 2 * ITEMS:] = -1
    intercepts = -a * b

    pairs = []
    for first in range(k):
        for second in range(first + 1, k):
            cov, iterations = fit(data, a, intercepts, [first, second])
            pairs.append({"first": first, "second": second, "rho": cov[0, 1],
                          "iterations": iterations})
    joint, joint_iterations = fit(data, a, intercepts, list(range(k)))

    out = {
        "generator": "tests/reference/make_mirt_correlations.py",
        "mirt": importlib.metadata.version("mirt"),
        "numpy": importlib.metadata.version("numpy"),
        "seed": SEED,
        "trueSigma": SIGMA.tolist(),
        "domains": [
            {"id": f"d{d}", "items": [{"a": a[i], "b": b[i]}
                                      for i in range(d * ITEMS, (d + 1) * ITEMS)]}
            for d in range(k)
        ],
        "responses": ["".join("-" if x < 0 else str(x) for x in row) for row in data],
        "pairs": pairs,
        "pairPoints": PAIR_POINTS,
        "joint": joint.tolist(),
        "jointPoints": JOINT_POINTS,
        "jointIterations": joint_iterations,
        "tolerance": TOL,
    }
    path = pathlib.Path(__file__).with_name("mirt_correlations.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}: pairs {[round(p['rho'], 4) for p in pairs]}, joint {joint.round(4).tolist()}")


if __name__ == "__main__":
    main()
