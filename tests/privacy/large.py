"""Time the privacy gate on a synthetic organisation of about 2,500 units.

    uv run python bench/privacy_gate.py [--waves 4] [--scales 20] [--seed 1] [--cross]

The organisation: 1 root, 10 regions, 25 locations per region, 9 teams per location
(2,511 units); teams of 4-25 employees in four role groups, location managers attached
to their location; about 70 % respond. Cells: every unit x (total + each role group)
x wave, with ``--scales`` figure columns. ``--cross`` adds a second split attribute
(tenure band, 3 values) and its cross with role group.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from spiegel.privacy import GroupTable, PrivacySettings, UnitTree, protect

ROLES = ("senior", "manager", "front", "back")


def organisation(seed: int, waves: int, cross: bool) -> tuple[UnitTree, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    parents: dict[str, str | None] = {"org": None}
    teams, locations = [], []
    for r in range(10):
        parents[f"r{r}"] = "org"
        for loc in range(25):
            lid = f"r{r}l{loc}"
            parents[lid] = f"r{r}"
            locations.append(lid)
            for t in range(9):
                parents[f"{lid}t{t}"] = lid
                teams.append(f"{lid}t{t}")
    tenures = ("<1y", "1-5y", ">5y") if cross else ("all",)
    rows = []
    for w in range(waves):
        wave = f"2026-Q{w + 1}"
        for team in teams:
            size = int(rng.integers(4, 26))
            roles = rng.choice(4, size=size, p=[0.03, 0.07, 0.65, 0.25])
            for role in range(4):
                k = int((roles == role).sum())
                k = int(rng.binomial(k, 0.7))
                for ten in tenures:
                    share = k if len(tenures) == 1 else int(rng.binomial(k, 1 / 3))
                    if share:
                        rows.append((team, wave, ROLES[role], ten, share))
        for lid in locations:
            if rng.random() < 0.6:
                rows.append((lid, wave, "manager", tenures[-1], 1))
    micro = pd.DataFrame(rows, columns=["unit", "wave", "role_group", "tenure", "n"])
    return UnitTree(parents), micro


def table(tree: UnitTree, micro: pd.DataFrame, scales: int, cross: bool) -> GroupTable:
    attrs = ("role_group", "tenure") if cross else ("role_group",)
    waves = sorted(micro["wave"].unique())
    splits: list[dict[str, str | None]] = [{}] + [{"role_group": r} for r in ROLES]
    if cross:
        tens = ("<1y", "1-5y", ">5y")
        splits += [{"tenure": t} for t in tens]
        splits += [{"role_group": r, "tenure": t} for r in ROLES for t in tens]
    rows = []
    for unit in tree.units:
        for wave in waves:
            for split in splits:
                rows.append({"unit": unit, "wave": wave, **{a: split.get(a) for a in attrs}})
    fig = pd.DataFrame(rows)
    rng = np.random.default_rng(0)
    for s in range(scales):
        fig[f"scale{s:02d}"] = rng.uniform(1, 5, len(fig)).round(2)
    return GroupTable(tree, micro.drop(columns=[] if cross else ["tenure"]), fig, attrs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--waves", type=int, default=4)
    ap.add_argument("--scales", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cross", action="store_true")
    args = ap.parse_args()
    tree, micro = organisation(args.seed, args.waves, args.cross)
    t0 = time.perf_counter()
    tab = table(tree, micro, args.scales, args.cross)
    t1 = time.perf_counter()
    attrs = {"role_group", "tenure"} if args.cross else {"role_group"}
    protected = protect(tab, PrivacySettings(allowed_split_attributes=frozenset(attrs)))
    t2 = time.perf_counter()
    s = protected.summary
    print(
        f"units {len(tree)}, waves {args.waves}, cells {s.n_cells}, figure columns "
        f"{args.scales}\nbuild table {t1 - t0:.1f} s, protect {t2 - t1:.1f} s "
        f"(gate's own clock {s.seconds:.1f} s)\nvisible {s.n_visible}, primary "
        f"{s.n_primary}, complementary {s.n_complementary} "
        f"({s.n_complementary / max(s.n_primary, 1):.1%} of primary, "
        f"{s.n_complementary / s.n_cells:.1%} of cells)"
    )


if __name__ == "__main__":
    main()
