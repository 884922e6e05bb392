"""An attacker who sees every shown cell and tries to work out a small group.

Written independently of the gate: it rebuilds group membership from the raw microcells
and the unit parents, puts every shown cell's indicator over the micro-cells in a matrix
and uses floating-point linear algebra (numpy SVD), not the gate's exact tree algorithm.

What the attacker knows: the unit tree, which micro-cells are empty, the answers of known
persons (360° self and manager), and every figure of every shown cell. A *disclosure* is
a set of micro-cells with between 1 and minimum-1 respondents whose count (and so sum and
mean) follows from the shown cells: by subtraction of two nested cells, or by solving the
linear system of all shown totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp


@dataclass(frozen=True)
class Cell:
    unit: str
    wave: str | None
    split: tuple[tuple[str, str], ...]
    n: int | None = None  # shown count (None when the attacker does not use figures)
    mean: float | None = None


@dataclass(frozen=True)
class Disclosure:
    members: tuple[tuple[str, tuple[str, ...]], ...]  # (unit, (wave, attr values...))
    true_n: int
    derived_n: float
    true_mean: float | None
    derived_mean: float | None
    how: str


class Attacker:
    """Knows the structure; ``attack(shown)`` returns every small group it can work out."""

    def __init__(
        self,
        parents: dict[str, str | None],
        microcells: pd.DataFrame,
        attributes: Sequence[str],
        minimum: int,
        *,
        exempt: tuple[str, frozenset[str]] | None = None,
        value_col: str | None = None,
    ) -> None:
        self.parents = parents
        self.minimum = minimum
        self.attributes = list(attributes)
        cols = ["unit", "wave", *self.attributes]
        n_col = microcells["n"].tolist()
        s_col = microcells[value_col].tolist() if value_col is not None else [0.0] * len(n_col)
        acc: dict[tuple[str, tuple[str, ...]], list[float]] = {}
        for unit, *combo, n, v in zip(
            *([str(x) for x in microcells[c].tolist()] for c in cols), n_col, s_col, strict=True
        ):
            slot = acc.setdefault((unit, tuple(combo)), [0.0, 0.0])
            slot[0] += n
            slot[1] += n * v
        items = sorted((k, v) for k, v in acc.items() if v[0] > 0)
        self.keys = [k for k, _ in items]
        self.counts = np.array([v[0] for _, v in items], dtype=float)
        self.sums = (
            np.array([v[1] for _, v in items], dtype=float) if value_col is not None else None
        )
        known = np.zeros(len(self.keys), dtype=bool)
        if exempt is not None:
            attr, values = exempt
            pos = 1 + self.attributes.index(attr)
            known = np.array([k[1][pos] in values for k in self.keys], dtype=bool)
        self.known = known
        self._units_below: dict[str, set[str]] = {}
        self._cols: np.ndarray | None = None

    # ------------------------------------------------------------------ membership
    def _below(self, unit: str) -> set[str]:
        if unit not in self._units_below:
            out = set()
            for u in self.parents:
                cur: str | None = u
                while cur is not None:
                    if cur == unit:
                        out.add(u)
                        break
                    cur = self.parents[cur]
            self._units_below[unit] = out
        return self._units_below[unit]

    def members(self, cell: Cell) -> np.ndarray:
        """0/1 over micro-cells: below the cell's unit, in its wave, matching its filter."""
        if self._cols is None:
            self._cols = np.array([[k[0], *k[1]] for k in self.keys], dtype=object).reshape(
                len(self.keys), 2 + len(self.attributes)
            )
        below = self._below(cell.unit)
        mask = np.array([k[0] in below for k in self.keys], dtype=bool)
        if cell.wave is not None:
            mask &= self._cols[:, 1] == cell.wave
        for a, v in cell.split:
            mask &= self._cols[:, 2 + self.attributes.index(a)] == v
        return mask.astype(float)

    # ------------------------------------------------------------------ the attack
    def attack(
        self, shown: Iterable[Cell], *, explain: bool = False, max_subsets: int = 200_000
    ) -> list[Disclosure]:
        """Every small group the attacker can work out from ``shown``.

        With ``explain`` each disclosure also carries the count and mean the attacker
        derives (by least squares on the shown figures), next to the true ones.
        """
        shown = list(shown)
        self._explain = explain
        m = self.minimum
        real = ~self.known
        counts = self.counts
        small = np.flatnonzero(real & (counts < m))
        if not len(small):
            return []
        rows = np.array([self.members(c) for c in shown]) if shown else np.zeros((0, len(counts)))
        found: list[Disclosure] = []
        # 1. subtraction of nested shown cells
        if len(shown) > 1:
            r = np.where(real, rows, 0.0)
            diff = r[:, None, :] - r[None, :, :]
            nested = (diff >= 0).all(axis=2) & diff.any(axis=2)
            n = diff @ counts
            for i, j in zip(*np.nonzero(nested & (n > 0) & (n < m)), strict=True):
                found.append(self._disclosure(diff[i, j], rows, shown, "subtraction"))
        # 2. the linear system: every 0/1 vector over small micro-cells that lies in the
        #    row space of the shown cells (with known micro-cells free).
        vr = rows[:, real] if len(shown) else np.zeros((0, int(real.sum())))
        col_of = {int(g): k for k, g in enumerate(np.flatnonzero(real))}
        s_cols = [col_of[int(g)] for g in small]
        b_cols = [k for k in range(vr.shape[1]) if k not in set(s_cols)]
        if vr.shape[0]:
            # y with y @ vr[:, big] = 0; their images y @ vr[:, small] span what can be
            # derived about the small micro-cells alone.
            ys = _null_space(vr[:, b_cols].T) if b_cols else np.eye(vr.shape[0])
            derivable = ys.T @ vr[:, s_cols]
        else:
            derivable = np.zeros((0, len(s_cols)))
        try:
            candidates = _zero_one_vectors(derivable, counts[small], m, max_subsets)
        except RuntimeError:  # too many small groups to try one by one: ask a solver
            one = _milp_zero_one_vector(derivable, counts[small], m)
            candidates = [] if one is None else [one]
        for x_small in candidates:
            x = np.zeros(len(counts))
            x[small] = x_small
            found.append(self._disclosure(x, rows, shown, "linear system"))
        return found

    def _disclosure(
        self, x: np.ndarray, rows: np.ndarray, shown: list[Cell], how: str
    ) -> Disclosure:
        real = ~self.known
        members = tuple(self.keys[i] for i in np.flatnonzero(x * real))
        true_n = round(float((x * real) @ self.counts))
        true_mean = derived_mean = None
        derived_n = float("nan")
        if not self._explain:
            return Disclosure(members, true_n, derived_n, true_mean, derived_mean, how)
        # Known micro-cells enter the attacker's equations as extra known rows.
        known_rows = np.eye(len(self.counts))[self.known]
        system = np.vstack([rows, known_rows]) if len(known_rows) else rows
        target = np.where(real, x, 0.0)
        lam, *_ = np.linalg.lstsq(system.T, target, rcond=None)
        if np.allclose(system.T @ lam, target, atol=1e-7):
            n_vis = np.array([c.n if c.n is not None else np.nan for c in shown])
            n_known = self.counts[self.known]
            derived_n = float(lam @ np.concatenate([n_vis, n_known]))
            if self.sums is not None:
                true_mean = float((target @ self.sums) / true_n)
                s_vis = np.array(
                    [
                        c.n * c.mean if c.n is not None and c.mean is not None else np.nan
                        for c in shown
                    ]
                )
                s_known = self.sums[self.known]
                derived_mean = float(lam @ np.concatenate([s_vis, s_known])) / derived_n
        return Disclosure(members, true_n, derived_n, true_mean, derived_mean, how)


def _null_space(a: np.ndarray) -> np.ndarray:
    """Columns spanning ``{y : a @ y = 0}`` (SVD, relative tolerance)."""
    if a.shape[0] == 0:
        return np.eye(a.shape[1])
    _, s, vt = np.linalg.svd(a, full_matrices=True)
    tol = max(a.shape) * np.finfo(float).eps * (s[0] if len(s) else 1.0) * 100
    rank = int((s > tol).sum())
    return vt[rank:].T


def _rref(a: np.ndarray, tol: float = 1e-9) -> tuple[np.ndarray, list[int]]:
    a = a.astype(float).copy()
    pivots: list[int] = []
    r = 0
    for col in range(a.shape[1]):
        if r == a.shape[0]:
            break
        pick = r + int(np.argmax(np.abs(a[r:, col])))
        if abs(a[pick, col]) < tol:
            continue
        a[[r, pick]] = a[[pick, r]]
        a[r] /= a[r, col]
        for i in range(a.shape[0]):
            if i != r:
                a[i] -= a[i, col] * a[r]
        pivots.append(col)
        r += 1
    return a[:r], pivots


def _zero_one_vectors(
    basis: np.ndarray, counts: np.ndarray, minimum: int, limit: int
) -> list[np.ndarray]:
    """Non-empty 0/1 vectors in the row space of ``basis`` with ``counts`` total < minimum.

    A vector of the row space is fixed by its entries at the pivot columns of the
    reduced echelon form; a wanted vector is 0/1 there and, counts being >= 1, has
    fewer than ``minimum`` ones, so only small subsets of pivots need trying.
    """
    if basis.size == 0:
        return []
    rows, pivots = _rref(basis)
    if not pivots:
        return []
    coef = _small_subsets(counts[pivots].astype(int), minimum, limit)
    if not len(coef):
        return []
    xs = coef @ rows
    ok = np.all((np.abs(xs) < 1e-7) | (np.abs(xs - 1) < 1e-7), axis=1)
    xs = np.round(xs[ok])
    n = xs @ counts
    return [x for x, k in zip(xs, n, strict=True) if 0 < k < minimum]


def _milp_zero_one_vector(basis: np.ndarray, counts: np.ndarray, minimum: int) -> np.ndarray | None:
    """One 0/1 vector in the row space of ``basis`` with 0 < counts total < minimum, or
    ``None`` when there is none: a feasibility integer program (scipy's milp, HiGHS) with
    the vector orthogonal to the complement of the row space."""
    if basis.size == 0:
        return None
    _, s, vt = np.linalg.svd(basis, full_matrices=True)
    tol = max(basis.shape) * np.finfo(float).eps * (s[0] if len(s) else 1.0) * 100
    complement = vt[int((s > tol).sum()) :]
    k = len(counts)
    constraints = [LinearConstraint(counts[None, :], 1, minimum - 1)]
    if len(complement):
        constraints.append(LinearConstraint(complement, -1e-7, 1e-7))
    done = milp(np.zeros(k), constraints=constraints, integrality=np.ones(k), bounds=Bounds(0, 1))
    if done.x is None:
        return None
    x = np.round(done.x)
    in_space = not len(complement) or np.allclose(complement @ x, 0, atol=1e-6)
    return x if in_space and 0 < x @ counts < minimum else None


def _small_subsets(counts: np.ndarray, minimum: int, limit: int) -> np.ndarray:
    """0/1 rows for every non-empty subset of ``counts`` summing below ``minimum``."""
    k = len(counts)
    out: list[list[int]] = []
    order = np.argsort(counts, kind="stable")

    def walk(start: int, total: int, chosen: list[int]) -> None:
        for pos in range(start, k):
            i = int(order[pos])
            t = total + int(counts[i])
            if t >= minimum:
                break  # counts are sorted: every later one is at least as big
            chosen.append(i)
            row = [0] * k
            for c in chosen:
                row[c] = 1
            out.append(row)
            if len(out) > limit:
                raise RuntimeError("attacker: too many candidate groups; use a smaller example")
            walk(pos + 1, t, chosen)
            chosen.pop()

    walk(0, 0, [])
    return np.array(out, dtype=float).reshape(len(out), k)
