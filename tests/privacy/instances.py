"""Random organisations for the attack suite: unit trees, group sizes, splits, waves."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd

from spiegel.privacy import GroupTable, PrivacySettings, UnitTree

RATERS = ("self", "manager", "peer", "report", "customer")
MICRO_COLUMNS = ("unit", "wave", "role_group", "tenure", "n", "score")


def _frame(columns: dict[str, list[object]]) -> pd.DataFrame:
    """A DataFrame from columns (the fastest constructor for small tables)."""
    return pd.DataFrame(columns)


@dataclass(frozen=True)
class Instance:
    """Everything one attack needs."""

    table: GroupTable
    settings: PrivacySettings
    parents: dict[str, str | None]
    microcells: pd.DataFrame
    attributes: tuple[str, ...]
    minimum: int
    exempt: tuple[str, frozenset[str]] | None


def make_scores(
    parent_idx: list[int],
    counts: list[list[int]],
    *,
    n_roles: int,
    n_tenure: int,
    waves: int,
    splits: list[tuple[str, ...]],
    pooled: bool,
    minimum: int,
    drop: list[int] | None = None,
    seed: int = 0,
    with_means: bool = True,
) -> Instance:
    """A scores table over a tree given by ``parent_idx`` (-1 = root).

    ``counts[u]`` lists respondents per (wave, role, tenure) combination attached
    directly to unit ``u``; ``splits`` are the attribute tuples published at every unit
    (``()`` = the total); ``drop`` removes some candidate cells (not published).
    """
    units = [f"u{i}" for i in range(len(parent_idx))]
    parents = {u: (None if p < 0 else units[p]) for u, p in zip(units, parent_idx, strict=True)}
    roles = [f"r{i}" for i in range(n_roles)]
    tenures = [f"t{i}" for i in range(n_tenure)]
    wave_names = [f"w{i}" for i in range(waves)]
    combos = list(product(wave_names, roles, tenures))
    rng = np.random.default_rng(seed)
    cols: dict[str, list[object]] = {c: [] for c in MICRO_COLUMNS}
    for u, per in zip(units, counts, strict=True):
        for (w, r, t), n in zip(combos, per, strict=False):
            if n:
                for c, v in zip(
                    MICRO_COLUMNS, (u, w, r, t, n, float(rng.integers(1, 6))), strict=True
                ):
                    cols[c].append(v)
    micro = _frame(cols)
    attrs = ("role_group", "tenure")
    values = {"role_group": roles, "tenure": tenures}
    fig: dict[str, list[object]] = {c: [] for c in ("unit", "wave", "role_group", "tenure")}
    wave_opts: list[str | None] = [*wave_names, None] if pooled else list(wave_names)
    i = 0
    gone = set(drop or ())
    for u in units:
        for w in wave_opts:
            for split in splits:
                for vals in product(*(values[a] for a in split)):
                    chosen = dict(zip(split, vals, strict=True))
                    if i not in gone:
                        fig["unit"].append(u)
                        fig["wave"].append(w)
                        fig["role_group"].append(chosen.get("role_group"))
                        fig["tenure"].append(chosen.get("tenure"))
                    i += 1
    figures = _frame(fig)
    if with_means:
        figures = _with_means(figures, micro, parents, attrs)
    settings = PrivacySettings(
        min_scores=minimum, min_comments=max(10, minimum), allowed_split_attributes=frozenset(attrs)
    )
    table = GroupTable(UnitTree(parents), micro, figures, attrs)
    return Instance(table, settings, parents, micro, attrs, minimum, None)


def make_360(counts: list[list[int]], *, minimum: int) -> Instance:
    """360° tables: one root per person rated, rater groups as the split attribute."""
    units = [f"p{i}" for i in range(len(counts))]
    parents: dict[str, str | None] = dict.fromkeys(units)
    rows = []
    for u, per in zip(units, counts, strict=True):
        for rater, n in zip(RATERS, per, strict=False):
            if rater in ("self", "manager"):
                n = min(n, 1)
            if n:
                rows.append(
                    {
                        "unit": u,
                        "wave": "w0",
                        "rater_group": rater,
                        "n": n,
                        "score": 3.0 + 0.25 * len(rows) % 2,
                    }
                )
    micro = pd.DataFrame(rows, columns=["unit", "wave", "rater_group", "n", "score"])
    fig_rows: list[dict[str, object]] = []
    for u in units:
        fig_rows.append({"unit": u, "wave": "w0", "rater_group": None})
        fig_rows += [{"unit": u, "wave": "w0", "rater_group": r} for r in RATERS]
    figures = pd.DataFrame(fig_rows, columns=["unit", "wave", "rater_group"])
    attrs = ("rater_group",)
    figures = _with_means(figures, micro, parents, attrs)
    settings = PrivacySettings(
        min_360_group=minimum,
        min_scores=max(5, minimum),
        min_comments=10,
        allowed_split_attributes=frozenset(),
    )
    table = GroupTable(
        UnitTree(parents), micro.drop(columns="score"), figures, attrs, kind="rater360"
    )
    exempt = ("rater_group", settings.exempt_rater_groups)
    return Instance(table, settings, parents, micro, attrs, minimum, exempt)


def _with_means(
    figures: pd.DataFrame,
    micro: pd.DataFrame,
    parents: dict[str, str | None],
    attrs: tuple[str, ...],
) -> pd.DataFrame:
    """Add the true ``n`` and mean score of every group (from the microdata)."""
    below: dict[str, set[str]] = {u: set() for u in parents}
    for u in parents:
        cur: str | None = u
        while cur is not None:
            below[cur].add(u)
            cur = parents[cur]
    records = list(
        zip(
            micro["unit"].tolist(),
            micro["wave"].tolist(),
            *(micro[a].tolist() for a in attrs),
            micro["n"].tolist(),
            micro["score"].tolist(),
            strict=True,
        )
    )
    ns, means = [], []
    for unit, wave, *values in zip(
        figures["unit"].tolist(),
        figures["wave"].tolist(),
        *(figures[a].tolist() for a in attrs),
        strict=True,
    ):
        n = 0
        total = 0.0
        for r_unit, r_wave, *rest in records:
            r_vals, r_n, r_score = rest[:-2], rest[-2], rest[-1]
            if r_unit not in below[unit]:
                continue
            if wave is not None and not pd.isna(wave) and r_wave != wave:
                continue
            if any(
                v is not None and not pd.isna(v) and rv != v
                for v, rv in zip(values, r_vals, strict=True)
            ):
                continue
            n += r_n
            total += r_n * r_score
        ns.append(n)
        means.append(total / n if n else float("nan"))
    out = figures.copy()
    out["n"] = ns
    out["mean"] = means
    return out
