"""A synthetic organisation of about 2,500 units, for the privacy tests and benchmark.

The organisation: 1 root, 10 regions, 25 locations per region, 9 teams per location
(2,511 units); teams of 4-25 employees in four role groups, location managers attached
to their location; about 70 % respond. Cells: every unit x (total + each role group)
x wave, with ``--scales`` figure columns. ``--cross`` adds a second split attribute
(tenure band, 3 values) and its cross with role group.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from spiegel.privacy import HIDE_FIRST, GroupTable, PrivacySettings, ReasonCode, UnitTree, protect

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


def report(
    seed: int = 1, waves: int = 4, scales: int = 20, cross: bool = False, repeat: int = 1
) -> None:
    """Print the size, then per ``hide_first`` the time (best of ``repeat``; the CPU time
    is steadier on a shared machine) and the cells hidden, in all and per tree level."""
    tree, micro = organisation(seed, waves, cross)
    t0 = time.perf_counter()
    tab = table(tree, micro, scales, cross)
    t1 = time.perf_counter()
    attrs = {"role_group", "tenure"} if cross else {"role_group"}
    settings = PrivacySettings(allowed_split_attributes=frozenset(attrs))
    print(
        f"units {len(tree)}, waves {waves}, cells {len(tab.keys)}, figure columns {scales}; "
        f"build table {t1 - t0:.1f} s"
    )
    levels = ("organisation", "regions", "locations", "teams")
    for hide_first in HIDE_FIRST:
        seconds, cpu = [], []
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            protected = protect(tab, settings, hide_first=hide_first)
            seconds.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        s = protected.summary
        hidden = [0] * len(levels)
        total = [0] * len(levels)
        for cell in protected.cells:
            d = tree.depth(cell.key.unit)
            total[d] += 1
            hidden[d] += not cell.visible and cell.reason_code is ReasonCode.COMPLEMENTARY
        by_level = ", ".join(
            f"{name} {h} of {t}" for name, h, t in zip(levels, hidden, total, strict=True)
        )
        print(
            f"hide_first={hide_first!r}: protect {min(seconds):.1f} s, CPU {min(cpu):.1f} s "
            f"(best of {repeat}); "
            f"visible {s.n_visible}, primary {s.n_primary}, complementary "
            f"{s.n_complementary} ({s.n_complementary / max(s.n_primary, 1):.1%} of primary, "
            f"{s.n_complementary / s.n_cells:.1%} of cells)\n  complementary by level: "
            f"{by_level}"
        )
