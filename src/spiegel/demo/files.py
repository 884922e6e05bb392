"""Write a generated organisation as the files a user would import, plus its ground truth.

The CSV files use the layouts ``spiegel.ingest`` reads (see ``docs/import-formats.md``):
``;`` as delimiter, UTF-8, a header row, whole numbers without decimals, an empty cell for
no answer. The survey files are *wide*: one row per respondent, one column per item id of
the instrument; the wave is not a column (it is chosen when importing the file).

=============================== ======================================================
file                            columns
=============================== ======================================================
``units.csv``                   code, name, parent, kind, unit_type
``employees.csv``               key, unit, role_group
``waves.csv``                   name, starts_on, ends_on (for reference)
``employee_responses_W.csv``    respondent_id, unit, role_group, one column per item
``customer_responses_W.csv``    respondent_id, unit, one column per item
``outcomes.csv``                unit, period, metric, value (long form)
``ground_truth.json``           :meth:`GroundTruth.to_dict` plus the drivers' population
                                general dominance
=============================== ======================================================
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from spiegel.demo.data import DemoData
from spiegel.demo.population import population_driver_importance

__all__ = ["write_csv", "write_files"]

DELIMITER = ";"


def _arrow_column(series: pd.Series) -> pa.Array:
    if series.dtype.kind == "f":
        values = series.to_numpy()
        whole = np.isnan(values) | (values == np.round(values))
        if whole.all():
            return pa.array(values, mask=np.isnan(values), from_pandas=False).cast(pa.int64())
        return pa.array(values, from_pandas=True)
    if series.dtype.kind in "iub":
        return pa.array(series.to_numpy())
    return pa.array(series.astype(object).where(series.notna(), None).to_list(), type=pa.string())


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as a ``;``-separated UTF-8 CSV (integers without decimals).

    Float columns that hold only whole numbers and NaN are written as integers with an
    empty cell for NaN; text is quoted only where needed.
    """
    path = Path(path)
    table = pa.table({str(c): _arrow_column(frame[c]) for c in frame.columns})
    options = pacsv.WriteOptions(delimiter=DELIMITER, quoting_style="needed")
    pacsv.write_csv(table, str(path), write_options=options)
    return path


def write_files(
    data: DemoData, directory: str | Path, *, population: bool = True
) -> dict[str, Path]:
    """Write ``data`` as import files and ``ground_truth.json`` into ``directory``.

    Parameters
    ----------
    data : DemoData
    directory : str or Path
        Created when missing; existing files of the same names are replaced.
    population : bool
        Add the drivers' population general dominance to the ground truth (computed
        once per truth from a large generated organisation, a few seconds).

    Returns
    -------
    dict of str to Path
        ``units``, ``employees``, ``waves``, ``outcomes``, ``ground_truth`` and, per
        wave W, ``employee_responses:W`` and ``customer_responses:W``.
    """
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    units = data.units[["code", "name", "parent", "kind", "unit_type"]].copy()
    units["parent"] = units["parent"].replace("", None)
    paths["units"] = write_csv(units, out_dir / "units.csv")
    paths["employees"] = write_csv(data.employees, out_dir / "employees.csv")
    waves = data.waves.assign(
        starts_on=data.waves["starts_on"].astype(str), ends_on=data.waves["ends_on"].astype(str)
    )
    paths["waves"] = write_csv(waves, out_dir / "waves.csv")
    for wave in data.wave_names:
        employee = data.employee_responses[wave].drop(columns=["wave"])
        paths[f"employee_responses:{wave}"] = write_csv(
            employee, out_dir / f"employee_responses_{wave}.csv"
        )
        customer = data.customer_responses[wave].drop(columns=["wave"])
        paths[f"customer_responses:{wave}"] = write_csv(
            customer, out_dir / f"customer_responses_{wave}.csv"
        )
    paths["outcomes"] = write_csv(
        data.outcomes[["unit", "period", "metric", "value"]], out_dir / "outcomes.csv"
    )
    pop = (
        population_driver_importance(data.truth.params, data.config.employee_instrument)
        if population
        else None
    )
    truth = data.truth.to_dict(population=pop)
    target = out_dir / "ground_truth.json"
    target.write_text(
        json.dumps(truth, indent=1, ensure_ascii=False, default=_json_default), encoding="utf-8"
    )
    paths["ground_truth"] = target
    return paths


def _json_default(value: object) -> object:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")
