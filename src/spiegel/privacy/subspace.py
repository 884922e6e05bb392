"""Exact linear algebra on small rational vector spaces.

The disclosure check works in spaces of dimension ``d`` = the number of attribute
combinations in one block (for example the four role groups of one wave), so every
operation here is on vectors of a handful of :class:`fractions.Fraction` entries.
Subspaces are kept in reduced row echelon form, which makes them canonical: two equal
subspaces compare and hash equal, so results can be cached.

Nothing here rounds: a vector is in a subspace or it is not. Entries are Python ``int``
while they are whole numbers and :class:`~fractions.Fraction` otherwise (the two compare
and hash alike), which keeps the common case fast. Subspaces are interned, so equality
and hashing are by identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

Num = int | Fraction
Vec = tuple[Num, ...]

_ZERO = 0
_ONE = 1


def _norm(x: Num) -> Num:
    if type(x) is int:
        return x
    return int(x) if x.denominator == 1 else x


def _div(x: Num, y: Num) -> Num:
    if type(x) is int and type(y) is int:
        q, r = divmod(x, y)
        return q if r == 0 else Fraction(x, y)
    return _norm(Fraction(x) / y)


def _axpy(row: list[Num], f: Num, other: Vec | list[Num]) -> list[Num]:
    """``row - f * other`` (a whole Fraction may stay a Fraction: it equals the int)."""
    return [x - f * y for x, y in zip(row, other, strict=True)]


def vec(values: tuple[int, ...] | list[int] | tuple[Num, ...]) -> Vec:
    """A vector of exact rationals from integers (or rationals)."""
    return tuple(_norm(v) if isinstance(v, Fraction) else int(v) for v in values)


def zeros(n: int) -> Vec:
    """The zero vector of length ``n``."""
    return (_ZERO,) * n


def unit(n: int, i: int) -> Vec:
    """The ``i``-th coordinate vector of length ``n``."""
    return tuple(_ONE if j == i else _ZERO for j in range(n))


def is_zero(v: Vec) -> bool:
    """True when every entry of ``v`` is zero."""
    return not any(v)


def sub(a: Vec, b: Vec) -> Vec:
    """``a - b``."""
    return tuple(_axpy(list(a), 1, b))


def add(a: Vec, b: Vec) -> Vec:
    """``a + b``."""
    return tuple(_axpy(list(a), -1, b))


@dataclass(frozen=True, eq=False)
class Subspace:
    """A linear subspace of Q^n, stored as its reduced row echelon basis.

    ``rows[k]`` has a leading 1 in column ``pivots[k]`` and zeros in every other pivot
    column, so the representation is unique. Build subspaces with :func:`span` (or the
    other functions here), never directly: they are interned, so two equal subspaces
    are the same object.
    """

    n: int
    rows: tuple[Vec, ...]
    pivots: tuple[int, ...]

    @property
    def dim(self) -> int:
        """Dimension of the subspace."""
        return len(self.rows)

    @property
    def is_full(self) -> bool:
        """True when the subspace is all of Q^n."""
        return len(self.rows) == self.n


_INTERNED: dict[tuple[int, tuple[Vec, ...]], Subspace] = {}


def _intern(n: int, rows: tuple[Vec, ...], pivots: tuple[int, ...]) -> Subspace:
    key = (n, rows)
    got = _INTERNED.get(key)
    if got is None:
        if len(_INTERNED) > 1_000_000:  # bound memory in very long-running processes
            _INTERNED.clear()
        got = _INTERNED[key] = Subspace(n, rows, pivots)
    return got


def _rref(n: int, vectors: tuple[Vec, ...]) -> Subspace:
    rows: list[list[Num]] = [list(v) for v in vectors if any(v)]
    pivots: list[int] = []
    r = 0
    for col in range(n):
        if r == len(rows):
            break
        pick = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pick is None:
            continue
        rows[r], rows[pick] = rows[pick], rows[r]
        piv = rows[r][col]
        if piv != 1:
            rows[r] = [_div(x, piv) for x in rows[r]]
        prow = rows[r]
        for i in range(len(rows)):
            if i != r:
                f = rows[i][col]
                if f != 0:
                    rows[i] = _axpy(rows[i], f, prow)
        pivots.append(col)
        r += 1
    return _intern(n, tuple(tuple(map(_norm, row)) for row in rows[:r]), tuple(pivots))


@lru_cache(maxsize=200_000)
def span(n: int, vectors: tuple[Vec, ...]) -> Subspace:
    """The subspace of Q^n spanned by ``vectors``."""
    return _rref(n, vectors)


@lru_cache(maxsize=4096)
def full(n: int) -> Subspace:
    """Q^n itself."""
    return span(n, tuple(unit(n, i) for i in range(n)))


@lru_cache(maxsize=4096)
def zero_space(n: int) -> Subspace:
    """The zero subspace of Q^n."""
    return _intern(n, (), ())


@lru_cache(maxsize=200_000)
def coordinates(n: int, idx: frozenset[int]) -> Subspace:
    """The span of the coordinate vectors ``e_i`` for ``i`` in ``idx``."""
    return span(n, tuple(unit(n, i) for i in sorted(idx)))


@lru_cache(maxsize=500_000)
def reduce(v: Vec, space: Subspace) -> Vec:
    """The canonical representative of the coset ``v + space``.

    It is zero in every pivot column of ``space``; ``reduce(v, S) == reduce(w, S)``
    exactly when ``v - w`` lies in ``S``.
    """
    out = list(v)
    for row, p in zip(space.rows, space.pivots, strict=True):
        f = out[p]
        if f != 0:
            out = _axpy(out, f, row)
    return tuple(out)


def contains(space: Subspace, v: Vec) -> bool:
    """True when ``v`` lies in ``space``."""
    return is_zero(reduce(v, space))


@lru_cache(maxsize=200_000)
def plus(a: Subspace, b: Subspace) -> Subspace:
    """The sum ``a + b`` of two subspaces."""
    if a.dim == 0:
        return b
    if b.dim == 0 or a is b:
        return a
    if a.is_full or b.is_full:
        return full(a.n)
    return span(a.n, a.rows + b.rows)


@lru_cache(maxsize=200_000)
def annihilator(a: Subspace) -> Subspace:
    """The orthogonal complement ``{y : y . x = 0 for all x in a}``."""
    n = a.n
    pivset = set(a.pivots)
    basis = []
    for free in range(n):
        if free in pivset:
            continue
        y: list[Num] = [_ZERO] * n
        y[free] = _ONE
        for row, p in zip(a.rows, a.pivots, strict=True):
            y[p] = -row[free]
        basis.append(tuple(y))
    return span(n, tuple(basis))


@lru_cache(maxsize=200_000)
def meet(a: Subspace, b: Subspace) -> Subspace:
    """The intersection of two subspaces."""
    if a.is_full:
        return b
    if b.is_full or a is b:
        return a
    if a.dim == 0 or b.dim == 0:
        return zero_space(a.n)
    return annihilator(plus(annihilator(a), annihilator(b)))


@dataclass(frozen=True)
class _Decomposer:
    """Writes ``w`` in ``a + b`` as ``w = x + y`` with ``x`` in ``a``, ``y`` in ``b``."""

    rows: tuple[Vec, ...]  # echelon rows of a + b (first n entries) ...
    tags: tuple[Vec, ...]  # ... and the a-part of each row
    pivots: tuple[int, ...]


@lru_cache(maxsize=200_000)
def _decomposer(a: Subspace, b: Subspace) -> _Decomposer:
    n = a.n
    aug: list[list[Num]] = [list(r) + list(r) for r in a.rows]
    aug += [list(r) + [_ZERO] * n for r in b.rows]
    pivots: list[int] = []
    r = 0
    for col in range(n):
        if r == len(aug):
            break
        pick = next((i for i in range(r, len(aug)) if aug[i][col] != 0), None)
        if pick is None:
            continue
        aug[r], aug[pick] = aug[pick], aug[r]
        piv = aug[r][col]
        if piv != 1:
            aug[r] = [_div(x, piv) for x in aug[r]]
        prow = aug[r]
        for i in range(len(aug)):
            if i != r:
                f = aug[i][col]
                if f != 0:
                    aug[i] = _axpy(aug[i], f, prow)
        pivots.append(col)
        r += 1
    rows = tuple(tuple(row[:n]) for row in aug[:r])
    tags = tuple(tuple(row[n:]) for row in aug[:r])
    return _Decomposer(rows, tags, tuple(pivots))


@lru_cache(maxsize=500_000)
def split(w: Vec, a: Subspace, b: Subspace) -> Vec | None:
    """An ``x`` in ``a`` with ``w - x`` in ``b``, or ``None`` when ``w`` is not in ``a + b``."""
    dec = _decomposer(a, b)
    rest: list[Num] = list(w)
    part: list[Num] = [_ZERO] * a.n
    for row, tag, p in zip(dec.rows, dec.tags, dec.pivots, strict=True):
        f = rest[p]
        if f != 0:
            rest = _axpy(rest, f, row)
            part = _axpy(part, -f, tag)
    if any(rest):
        return None
    return tuple(part)


@dataclass(frozen=True)
class Affine:
    """The affine subspace ``point + direction``, with ``point`` reduced (canonical)."""

    point: Vec
    direction: Subspace


def affine(point: Vec, direction: Subspace) -> Affine:
    """The affine subspace through ``point`` parallel to ``direction`` (canonical form)."""
    return Affine(reduce(point, direction), direction)


def affine_meet(a: Affine, b: Affine) -> Affine | None:
    """The intersection of two affine subspaces, or ``None`` when it is empty."""
    x = split(sub(b.point, a.point), a.direction, b.direction)
    if x is None:
        return None
    return affine(add(a.point, x), meet(a.direction, b.direction))


def affine_contains(a: Affine, v: Vec) -> bool:
    """True when ``v`` lies in the affine subspace ``a``."""
    return reduce(v, a.direction) == a.point


@lru_cache(maxsize=500_000)
def transfer(u: Vec, q: Vec, d: Subspace, a: Subspace) -> Vec | None:
    """Canonical point of ``(u + d) ∩ (q + a)`` modulo ``d ∩ a``; ``None`` when empty."""
    x = split(sub(q, u), d, a)
    if x is None:
        return None
    return reduce(add(u, x), meet(d, a))
