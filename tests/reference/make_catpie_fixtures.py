#!/usr/bin/env python3
"""Reference fixtures for skillcat's ability estimators, computed with catpie.

catpie (PyPI) is a pure-Python translation of R's catR. This script calls it for a fixed list
of item sets and response patterns and writes `catpie_fixtures.json` next to itself; the Rust
test `tests/reference_catpie.rs` reads that file, so `cargo test` needs no Python.

Regenerate (from the repository root):

    python3 -m venv /tmp/catpie-venv
    /tmp/catpie-venv/bin/pip install catpie==0.2.0
    /tmp/catpie-venv/bin/python tests/reference/make_catpie_fixtures.py

Every number in the JSON comes from a catpie call; item parameters and response patterns are
the only inputs written here. Conventions (all passed explicitly, never left to defaults):

- D = 1 (the logistic metric).
- EAP: catR's `eapEst`/`eapSem` on the estimator's own grid, `parInt = (min, max, points)`
  (skillcat's default is 61 points on [-4, 4], catR's own default is 33), prior N(mean, sd).
- MAP = catR "BM", MLE = "ML", WLE = "WL"; search interval `range = (min, max)`.
- SEs: catR `semTheta` with `semType = "classic"`: EAP posterior SD; BM 1/sqrt(I + 1/sd^2);
  ML and WL 1/sqrt(I), I the test information at the estimate.

catR (and catpie) stop the root search when the bracket is narrower than 1.22e-4, so their
BM/ML/WL estimates are accurate to about 6e-5 only. Next to that value ("catr") the script
records the root of catpie's own score function (catpie.estimators.r + r0, exactly the
function thetaEst solves) found by catpie's own `uniroot` with a tolerance of 1e-13
("refined"), and catpie's `semTheta` at that root. When thetaEst returns a bound of the range
(no sign change), the refined value is that same bound.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import json
import pathlib
import random
import re

import catpie
from catpie import estimators as est

D = 1.0
DEFAULT = {"min": -4.0, "max": 4.0, "points": 61, "prior_mean": 0.0, "prior_sd": 1.0}
METHODS = {"map": "BM", "mle": "ML", "wle": "WL"}
REFINED_TOL = 1e-13
# A fine scan of the score function, to record how many sign changes it has (so a reader
# can see that each reference estimate is the unique root, or that there is none).
SCAN_POINTS = 4001


def one_pl(b):
    return (1.0, b, 0.0, 1.0)


def two_pl(a, b):
    return (a, b, 0.0, 1.0)


def three_pl(a, b, c):
    return (a, b, c, 1.0)


def four_pl(a, b, c, d):
    return (a, b, c, d)


def seeded_items(seed, n, model):
    rng = random.Random(seed)
    items = []
    for _ in range(n):
        a = round(rng.uniform(0.6, 2.2), 3)
        b = round(rng.uniform(-2.5, 2.5), 3)
        c = round(rng.uniform(0.05, 0.3), 3) if model in ("3pl", "4pl") else 0.0
        d = round(rng.uniform(0.85, 0.99), 3) if model == "4pl" else 1.0
        items.append((a, b, c, d))
    return items


def seeded_responses(seed, items, theta):
    """A plausible pattern for a learner at `theta` (a fixed seed, so always the same)."""
    rng = random.Random(seed)
    return [1 if rng.random() < catpie.pi(theta, item, D).P else 0 for item in items]


ONE_PL_5 = [one_pl(b) for b in (-2.0, -1.0, 0.0, 1.0, 2.0)]
TWO_PL_8 = [
    two_pl(0.8, -2.1), two_pl(1.2, -1.4), two_pl(1.9, -0.6), two_pl(0.7, -0.2),
    two_pl(1.5, 0.3), two_pl(2.3, 0.9), two_pl(1.1, 1.6), two_pl(0.9, 2.4),
]
THREE_PL_6 = [
    three_pl(1.4, -1.8, 0.2), three_pl(1.1, -0.9, 0.25), three_pl(1.8, -0.1, 0.15),
    three_pl(0.9, 0.6, 0.2), three_pl(2.0, 1.2, 0.1), three_pl(1.3, 2.0, 0.25),
]
FOUR_PL_6 = [
    four_pl(1.3, -1.6, 0.0, 0.92), four_pl(1.7, -0.8, 0.1, 0.95), four_pl(1.0, 0.0, 0.2, 0.9),
    four_pl(2.1, 0.5, 0.05, 0.97), four_pl(1.5, 1.3, 0.15, 0.88), four_pl(0.8, 2.2, 0.0, 0.93),
]
MIXED_10 = [
    one_pl(-1.2), two_pl(1.6, -0.7), three_pl(1.2, 0.1, 0.2), four_pl(1.9, 0.4, 0.1, 0.94),
    two_pl(0.7, 1.1), one_pl(1.8), three_pl(2.2, -2.0, 0.25), four_pl(1.1, -0.3, 0.0, 0.9),
    two_pl(1.3, 2.6), three_pl(0.9, -1.5, 0.3),
]
HARD_BANK = [two_pl(1.2, 3.0), three_pl(1.5, 3.0, 0.2), four_pl(1.0, 3.0, 0.1, 0.95)] * 2
EASY_BANK = [two_pl(1.2, -3.0), three_pl(1.5, -3.0, 0.2), four_pl(1.0, -3.0, 0.1, 0.95)] * 2

# (name, items, responses, config overrides)
PATTERNS = [
    ("1pl_mixed", ONE_PL_5, [1, 1, 1, 0, 0], {}),
    ("1pl_all_correct", ONE_PL_5, [1] * 5, {}),
    ("1pl_all_wrong", ONE_PL_5, [0] * 5, {}),
    ("1pl_single_correct", [one_pl(0.3)], [1], {}),
    ("1pl_single_wrong", [one_pl(-0.4)], [0], {}),
    ("2pl_mixed", TWO_PL_8, [1, 1, 1, 0, 1, 0, 0, 0], {}),
    ("2pl_all_correct", TWO_PL_8, [1] * 8, {}),
    ("2pl_all_wrong", TWO_PL_8, [0] * 8, {}),
    ("2pl_guttman_violation", TWO_PL_8, [0, 0, 1, 0, 1, 1, 1, 1], {}),
    ("2pl_single_hard_correct", [two_pl(1.8, 1.5)], [1], {}),
    ("3pl_mixed", THREE_PL_6, [1, 1, 1, 0, 1, 0], {}),
    ("3pl_all_correct", THREE_PL_6, [1] * 6, {}),
    ("3pl_all_wrong", THREE_PL_6, [0] * 6, {}),
    ("3pl_lucky_guess", THREE_PL_6, [1, 1, 0, 0, 0, 1], {}),
    ("4pl_mixed", FOUR_PL_6, [1, 1, 0, 1, 0, 0], {}),
    ("4pl_all_correct", FOUR_PL_6, [1] * 6, {}),
    ("4pl_all_wrong", FOUR_PL_6, [0] * 6, {}),
    ("4pl_slip_on_easiest", FOUR_PL_6, [0, 1, 1, 1, 1, 0], {}),
    ("mixed_models", MIXED_10, [1, 1, 1, 0, 1, 0, 1, 1, 0, 1], {}),
    ("hard_bank_all_wrong", HARD_BANK, [0] * 6, {}),
    ("easy_bank_all_correct", EASY_BANK, [1] * 6, {}),
    ("2pl_seeded_20", seeded_items(11, 20, "2pl"), None, {"learner": 0.8, "seed": 101}),
    ("3pl_seeded_15", seeded_items(12, 15, "3pl"), None, {"learner": -0.6, "seed": 102}),
    ("4pl_seeded_15", seeded_items(13, 15, "4pl"), None, {"learner": 1.2, "seed": 103}),
    ("4pl_seeded_30", seeded_items(14, 30, "4pl"), None, {"learner": -1.5, "seed": 104}),
    ("2pl_wide_prior", TWO_PL_8, [1, 1, 1, 0, 1, 0, 0, 0],
     {"prior_mean": 0.5, "prior_sd": 1.5, "min": -3.0, "max": 3.0, "points": 41}),
    ("mixed_narrow_prior", MIXED_10, [1, 1, 1, 0, 1, 0, 1, 1, 0, 1],
     {"prior_mean": -1.0, "prior_sd": 0.7, "min": -5.0, "max": 5.0, "points": 121}),
    ("3pl_all_correct_wide_range", THREE_PL_6, [1] * 6,
     {"min": -6.0, "max": 6.0, "points": 101}),
]

ITEM_FUNCTION_ITEMS = [
    one_pl(0.0), one_pl(-2.5), two_pl(0.5, 1.0), two_pl(2.4, -0.7), three_pl(1.2, 0.3, 0.2),
    three_pl(2.0, 1.8, 0.33), four_pl(1.5, -0.5, 0.1, 0.9), four_pl(0.9, 2.0, 0.0, 0.85),
    four_pl(2.5, 0.0, 0.25, 0.95),
]
ITEM_FUNCTION_THETAS = [-4.0, -2.5, -1.0, 0.0, 0.35, 1.5, 3.0, 4.0]


def score_function(method, items, x, mean, sd):
    """catR's score equation T(theta) = r0 + r, built from catpie's own terms."""

    def f(theta):
        prior = est.r0(theta, items, method=method, priorDist="norm", priorPar=(mean, sd), D=D)
        return prior + est.r(theta, items, x, D)

    return f


def sign_changes(f, lo, hi):
    values = [f(lo + (hi - lo) * i / (SCAN_POINTS - 1)) for i in range(SCAN_POINTS)]
    return sum(1 for u, v in zip(values, values[1:]) if (u > 0) != (v > 0))


def mode_estimate(method, items, x, cfg):
    lo, hi, mean, sd = cfg["min"], cfg["max"], cfg["prior_mean"], cfg["prior_sd"]
    common = dict(priorDist="norm", priorPar=(mean, sd), D=D)
    catr = est.thetaEst(items, x, method=method, range=(lo, hi), **common)
    catr_se = est.semTheta(catr, items, x, method=method, semType="classic", **common)
    f = score_function(method, items, x, mean, sd)
    if catr in (lo, hi):
        refined = catr
    else:
        # thetaEst's bracket, narrowed to the one catR's bisection ended in, then solved tightly.
        step = 2.5e-4
        a, b = max(lo, catr - step), min(hi, catr + step)
        if (f(a) > 0) == (f(b) > 0):
            a, b = lo, hi
        refined = catpie.uniroot(f, a, b, tol=REFINED_TOL)
    se = est.semTheta(refined, items, x, method=method, semType="classic", **common)
    return {
        "theta": refined,
        "se": se,
        "catr_theta": catr,
        "catr_se": catr_se,
        "score_sign_changes": sign_changes(f, lo, hi),
    }


def pattern_entry(name, items, x, overrides):
    cfg = dict(DEFAULT)
    if x is None:
        x = seeded_responses(overrides["seed"], items, overrides["learner"])
    cfg.update({k: v for k, v in overrides.items() if k in DEFAULT})
    grid = (cfg["min"], cfg["max"], cfg["points"])
    prior = (cfg["prior_mean"], cfg["prior_sd"])
    eap = est.thetaEst(items, x, method="EAP", priorDist="norm", priorPar=prior, D=D, parInt=grid)
    eap_se = est.semTheta(
        eap, items, x, method="EAP", priorDist="norm", priorPar=prior, D=D, parInt=grid
    )
    entry = {
        "name": name,
        "config": {
            "priorMean": cfg["prior_mean"],
            "priorSd": cfg["prior_sd"],
            "gridPoints": cfg["points"],
            "minTheta": cfg["min"],
            "maxTheta": cfg["max"],
        },
        "items": [list(map(float, item)) for item in items],
        "responses": x,
        "eap": {"theta": eap, "se": eap_se},
    }
    for key, method in METHODS.items():
        entry[key] = mode_estimate(method, items, x, cfg)
    return entry


def one_line(match):
    """A JSON list of numbers written on one line."""
    return "[" + ", ".join(value.strip() for value in match.group(1).split(",")) + "]"


def main():
    item_functions = []
    for item in ITEM_FUNCTION_ITEMS:
        for theta in ITEM_FUNCTION_THETAS:
            item_functions.append(
                {
                    "item": list(map(float, item)),
                    "theta": theta,
                    "p": catpie.pi(theta, item, D).P,
                    "info": catpie.ii(theta, item, D).Ii,
                }
            )
    fixtures = {
        "generator": "tests/reference/make_catpie_fixtures.py",
        "catpie_version": importlib.metadata.version("catpie"),
        "catpie_module_version": catpie.__version__,
        "D": D,
        "default_config": {
            "priorMean": DEFAULT["prior_mean"],
            "priorSd": DEFAULT["prior_sd"],
            "gridPoints": DEFAULT["points"],
            "minTheta": DEFAULT["min"],
            "maxTheta": DEFAULT["max"],
        },
        "prior": "norm",
        "eap_integration": "catR integrate.catR: trapezoid rule on "
        "seq(minTheta, maxTheta, length.out = gridPoints)",
        "se_type": "classic",
        "catr_root_tolerance": inspect.signature(catpie.uniroot).parameters["tol"].default,
        "refined_root_tolerance": REFINED_TOL,
        "item_functions": item_functions,
        "patterns": [pattern_entry(*p) for p in PATTERNS],
    }
    out = pathlib.Path(__file__).with_name("catpie_fixtures.json")
    text = json.dumps(fixtures, indent=1)
    # One line per list of numbers (an item's parameters, a response pattern): easier to read.
    text = re.sub(r"\[([-+0-9.e,\s]+)\]", one_line, text)
    out.write_text(text + "\n")
    print(f"wrote {out} ({len(fixtures['patterns'])} patterns, {len(item_functions)} item values)")


if __name__ == "__main__":
    main()
