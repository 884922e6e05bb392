"""Population values of what the analysis estimates from a sample of the demo organisation.

The drivers' *standardised weights* are parameters of the latent model; what a driver
analysis estimates from survey answers is the *general dominance* of each observed driver
scale score on the observed engagement score, which also depends on the measurement model
(thresholds, loadings, a curved workload effect). Its population value has no closed form,
so it is computed here once, from a very large organisation generated with the same
:class:`~spiegel.demo.truth.Truth` (the estimator applied to a sample so large that its
sampling error is negligible next to a demo-sized sample's).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from spiegel.analysis import ScaleSpec, relative_importance, score_scales
from spiegel.demo.employees import ENGAGEMENT_SCALES, engagement_items
from spiegel.demo.generate import generate
from spiegel.demo.truth import Truth
from spiegel.instruments import Instrument, get_instrument

__all__ = ["driver_scores", "engagement_spec", "population_driver_importance"]

#: Employees per location in the population organisation (as in the default demo).
_EMPLOYEES_PER_LOCATION = 15


def engagement_spec(instrument: Instrument) -> ScaleSpec:
    """One scale over all engagement items (vigor, dedication, absorption together)."""
    items = engagement_items(instrument)
    reverse = frozenset(i for i in items if instrument.item(i).reverse)
    first = instrument.scale_specs()[ENGAGEMENT_SCALES[0]]
    return ScaleSpec(items=items, reverse=reverse, min=first.min, max=first.max)


def driver_scores(responses: pd.DataFrame, instrument: Instrument, truth: Truth) -> pd.DataFrame:
    """Engagement score and every driver's scale score per respondent."""
    specs = {name: instrument.scale_specs()[name] for name in truth.driver_names}
    specs["engagement"] = engagement_spec(instrument)
    return score_scales(responses, specs)


@lru_cache(maxsize=4)
def population_driver_importance(
    truth: Truth | None = None,
    employee_instrument: str = "employee",
    employees: int = 100_000,
    seed: int = 20_260_101,
) -> pd.DataFrame:
    """General dominance of each driver on engagement in the first wave, in the population.

    Generates an organisation of ``employees`` staff with the same truth and runs
    :func:`spiegel.analysis.relative_importance` (no bootstrap) on the first wave's
    respondents: engagement score on the driver scale scores.

    Returns
    -------
    DataFrame
        Indexed by driver: ``general_dominance``, ``share`` (of R²), ``relative_weight``
        and ``rank``; ``attrs["r2"]`` and ``attrs["n"]``.
    """
    truth = Truth() if truth is None else truth
    data = generate(
        seed,
        employees=employees,
        locations=max(1, employees // _EMPLOYEES_PER_LOCATION),
        customers_per_wave=0,
        waves=2,
        truth=truth,
        employee_instrument=employee_instrument,
    )
    instrument = get_instrument(employee_instrument)
    first = data.employee_responses[data.wave_names[0]]
    scores = driver_scores(first, instrument, truth)
    result = relative_importance(scores, "engagement", list(truth.driver_names), n_boot=0)
    out = result[["general_dominance", "relative_weight", "rank"]].copy()
    out.insert(1, "share", out["general_dominance"] / result.attrs["r2"])
    out.attrs.update(r2=result.attrs["r2"], n=result.attrs["n_used"])
    return out
