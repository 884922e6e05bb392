"""How the naive and the corrected role-group linkage behave with 1–2 people per unit.

    uv run python bench/corrected_linkage.py [--orgs 50] [--boot 200] [--sizes 40,200,800]

For each organisation size, simulates ``--orgs`` organisations with the generator of
``tests/analysis/test_role_groups.py`` (two role groups of 1–2 people per unit, true
slopes 0.8 and 0.5, the grade now as a confounded covariate, reliability of a unit mean
1/3 or 1/2) and prints, per role group: the mean naive and corrected slope, how often
the naive t interval and the corrected bootstrap interval cover the true slope, how
often the corrected interval is not given (more than 2.5% of resamples without an
estimate) or the corrected fit itself has no estimate, and the seconds per fit.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.analysis.test_role_groups import BETA, simulate

from spiegel.analysis import corrected_role_group_linkage


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orgs", type=int, default=50)
    ap.add_argument("--boot", type=int, default=200)
    ap.add_argument("--sizes", default="40,200,800")
    args = ap.parse_args()
    print(f"{args.orgs} organisations per size, {args.boot} bootstrap resamples each")
    header = (
        "units  role        naive  corr.  naive-cover  corr-cover  no-interval  no-estimate  s/fit"
    )
    print(header)
    for size in (int(s) for s in args.sizes.split(",")):
        rows = {role: [] for role in BETA}
        no_estimate = 0
        start = time.perf_counter()
        for seed in range(args.orgs):
            people, units = simulate(10_000 + seed, n_units=size)
            r = corrected_role_group_linkage(
                people, units, "grade_next", covariates=["grade"], wave=None,
                n_boot=args.boot, seed=seed,
            )  # fmt: skip
            no_estimate += bool(r.problem)
            for role, beta in BETA.items():
                c = r.coefficients.loc[role]
                rows[role].append(
                    (
                        c["naive_estimate"],
                        c["estimate"],
                        c["naive_ci_low"] <= beta <= c["naive_ci_high"],
                        c["ci_low"] <= beta <= c["ci_high"],
                        np.isnan(c["ci_low"]),
                    )
                )
        per_fit = (time.perf_counter() - start) / args.orgs
        for role, vals in rows.items():
            a = np.array(vals, dtype=float)
            print(
                f"{size:5d}  {role:10s}  {np.nanmean(a[:, 0]):5.2f}  {np.nanmean(a[:, 1]):5.2f}"
                f"  {a[:, 2].mean():11.0%}  {a[:, 3].mean():10.0%}  {a[:, 4].mean():11.0%}"
                f"  {no_estimate / args.orgs:11.0%}  {per_fit:5.2f}"
            )
    print(f"true slopes: {BETA}; 'corr-cover' counts a missing interval as not covering")


if __name__ == "__main__":
    main()
