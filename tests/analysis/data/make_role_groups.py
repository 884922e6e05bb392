"""Generate ``role_people.csv`` and ``role_units.csv`` for the corrected role-group tests.

40 locations in 8 regions, 2 waves. Per location and wave: 1–2 managers, 3–6 front-line
employees and 1–3 back-office employees; per region and wave 1–2 senior managers, whose
engagement applies to every location of the region. Each person's engagement is the
true mean of their role group in their unit plus individual noise; the grade of a
location depends on the true (not the observed) role-group means, and the grade at the
next wave on those and the grade now.

Run from the repository root to regenerate (the files are committed; the tests and
``tests/analysis/r/role_groups.R`` read the committed files)::

    uv run python tests/analysis/data/make_role_groups.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
SIZES = {"manager": (1, 2), "front_line": (3, 6), "back_office": (1, 3)}


def make(seed: int = 38) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(people, units): people has unit, wave, role_group, engagement; units has unit,
    region, wave, grade, grade_next."""
    rng = np.random.default_rng(seed)
    n_loc, n_reg = 40, 8
    region = {f"L{i + 1:02d}": f"R{i % n_reg + 1}" for i in range(n_loc)}
    people, units = [], []
    senior_true = {r: rng.normal(3.6, 0.35) for r in sorted(set(region.values()))}
    for wave in (1, 2):
        for reg, mu in senior_true.items():
            for _ in range(rng.integers(1, 3)):
                people.append((reg, wave, "senior", mu + rng.normal(0, 0.5)))
        for loc, reg in region.items():
            true = {
                "manager": rng.normal(3.7, 0.4),
                "front_line": rng.normal(3.4, 0.3),
                "back_office": rng.normal(3.5, 0.3),
            }
            for role, (lo, hi) in SIZES.items():
                for _ in range(rng.integers(lo, hi + 1)):
                    people.append((loc, wave, role, true[role] + rng.normal(0, 0.6)))
            grade = (
                2.0
                + 0.5 * true["manager"]
                + 0.6 * true["front_line"]
                + 0.3 * senior_true[reg]
                + rng.normal(0, 0.3)
            )
            grade_next = 1.0 + 0.5 * grade + 0.4 * true["front_line"] + rng.normal(0, 0.3)
            units.append((loc, reg, wave, grade, grade_next))
    p = pd.DataFrame(people, columns=["unit", "wave", "role_group", "engagement"])
    u = pd.DataFrame(units, columns=["unit", "region", "wave", "grade", "grade_next"])
    return p.round({"engagement": 3}), u.round({"grade": 3, "grade_next": 3})


if __name__ == "__main__":
    people, units = make()
    people.to_csv(HERE / "role_people.csv", index=False)
    units.to_csv(HERE / "role_units.csv", index=False)
