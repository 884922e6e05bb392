"""The exact subspace arithmetic agrees with numpy's rank on random small matrices."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spiegel.privacy import subspace as ss

DIM = 4
vectors = st.lists(st.lists(st.integers(-2, 2), min_size=DIM, max_size=DIM).map(tuple), max_size=4)


def rank(rows: list[tuple[int, ...]]) -> int:
    return int(np.linalg.matrix_rank(np.array(rows, dtype=float))) if rows else 0


@settings(max_examples=300, deadline=None)
@given(vectors, vectors, st.lists(st.integers(-3, 3), min_size=DIM, max_size=DIM))
def test_span_sum_meet_and_membership(a: list, b: list, v: list) -> None:
    sa, sb = ss.span(DIM, tuple(map(ss.vec, a))), ss.span(DIM, tuple(map(ss.vec, b)))
    assert sa.dim == rank(a)
    assert ss.plus(sa, sb).dim == rank(a + b)
    # dim(A ∩ B) = dim A + dim B - dim(A + B)
    assert ss.meet(sa, sb).dim == rank(a) + rank(b) - rank(a + b)
    for row in ss.meet(sa, sb).rows:
        assert ss.contains(sa, row) and ss.contains(sb, row)
    vv = ss.vec(v)
    assert ss.contains(sa, vv) == (rank([*a, tuple(v)]) == rank(a))
    # reduce() gives one representative per coset
    if a:
        w = ss.add(vv, ss.vec(a[0]))
        assert ss.reduce(w, sa) == ss.reduce(vv, sa)
    assert ss.span(DIM, tuple(map(ss.vec, a))) is sa  # interned


@settings(max_examples=300, deadline=None)
@given(vectors, vectors, st.lists(st.integers(-3, 3), min_size=DIM, max_size=DIM))
def test_split_writes_a_vector_as_a_sum(a: list, b: list, w: list) -> None:
    sa, sb = ss.span(DIM, tuple(map(ss.vec, a))), ss.span(DIM, tuple(map(ss.vec, b)))
    ww = ss.vec(w)
    x = ss.split(ww, sa, sb)
    in_sum = rank([*a, *b, tuple(w)]) == rank(a + b)
    assert (x is not None) == in_sum
    if x is not None:
        assert ss.contains(sa, x) and ss.contains(sb, ss.sub(ww, x))


def test_fractions_appear_only_when_needed() -> None:
    s = ss.span(2, (ss.vec((2, 1)),))
    assert s.rows == ((1, Fraction(1, 2)),)
    assert ss.span(2, (ss.vec((2, 2)),)).rows == ((1, 1),)
    assert type(ss.span(2, (ss.vec((2, 2)),)).rows[0][1]) is int


def test_affine_intersection() -> None:
    line = ss.affine(ss.vec((0, 1)), ss.span(2, (ss.vec((1, 0)),)))  # y = 1
    diag = ss.Affine(ss.zeros(2), ss.span(2, (ss.vec((1, 1)),)))  # y = x
    hit = ss.affine_meet(line, diag)
    assert hit is not None and hit.point == (1, 1) and hit.direction.dim == 0
    parallel = ss.affine(ss.vec((0, 2)), ss.span(2, (ss.vec((1, 0)),)))
    assert ss.affine_meet(line, parallel) is None
