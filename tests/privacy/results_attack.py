"""An attacker who reads every section of a results document and knows the raw answers.

Written independently of the gate and of the analysis service's bookkeeping: from the raw
respondent rows it works out, for every figure any section publishes about a group, who
is behind that figure (the group's respondents who answered that scale or item), checks
that the published value is theirs, and then

1. **per figure**: counts them — fewer than the minimum is a finding;
2. **differencing**: puts every published cell of one figure column (from all sections
   together) into the independent :class:`~tests.privacy.attacker.Attacker`, which tries
   to solve for any group of fewer than the minimum by subtraction or through the linear
   system of all published totals.

Sections read: employee and customer (the unit tables), customer_overall,
moments_of_truth, response, linkage.points, mirror (overall and per unit), risk.units,
ambition and comments.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from spiegel.demo import generate
from spiegel.services.analyze import Job, analyse_frames
from spiegel.services.demo_frames import organisation_frames
from tests.privacy.attacker import Attacker, Cell

ALL = "__respondents__"  # the column "everyone who answered the survey"


@dataclass(frozen=True)
class Published:
    """One published figure: which group, which column, and what was shown."""

    section: str
    audience: str  # employee | customer
    column: str  # the scale or item whose respondents are behind the figure
    unit: int | tuple[int, ...]  # several: the figure is over their subtrees together
    wave: str
    role_group: str | None
    value: float | None  # the published mean (None: a count or statistic, not checked)
    n: int | None = None  # the published count, if any
    how: str = "mean"  # mean | share>=9 | share<=6 | nps


@dataclass
class Finding:
    kind: str  # too_few | wrong_value | disclosure | comments
    detail: str


@dataclass
class Report:
    figures: int = 0
    cells_attacked: int = 0
    findings: list[Finding] = field(default_factory=list)


class ResultsAttack:
    """The raw data of one organisation and the results document made from it."""

    def __init__(
        self,
        units: pd.DataFrame,
        respondents: Mapping[str, pd.DataFrame],
        results: Mapping[str, object],
        mirror_items: Mapping[str, str],
        latest: str,
        texts: pd.DataFrame | None = None,
    ) -> None:
        self.units = units
        #: the open comments as written (wave, audience, unit_id, text), for the comment
        #: figures: lists, their counts and the themes
        self.texts = texts
        self.results = results
        self.mirror_items = dict(mirror_items)  # customer item -> employee item
        self.latest = latest
        privacy = results["privacy"]
        assert isinstance(privacy, dict)
        self.minimum = int(privacy["min_scores"])
        self.min_comments = int(privacy["min_comments"])
        self.parents = {
            str(int(u)): (None if pd.isna(p) else str(int(p)))
            for u, p in zip(units["id"], units["parent_id"], strict=True)
        }
        self.kind = {int(u): str(k) for u, k in zip(units["id"], units["kind"], strict=True)}
        self.root = next(int(u) for u, p in self.parents.items() if p is None)
        chains = {
            int(u): [int(p) for p in str(path).strip("/").split("/") if p]
            for u, path in zip(units["id"], units["path"], strict=True)
        }
        self.chains = chains
        self.frames: dict[str, pd.DataFrame] = {}
        self._arrays: dict[tuple[str, str], np.ndarray] = {}
        for audience, frame in respondents.items():
            f = frame.copy()
            f["unit_id"] = f["unit_id"].astype(int)
            f["role_group"] = f.get("role_group", pd.Series(None, index=f.index))
            f["role_group"] = f["role_group"].fillna("unknown").astype(str)
            f["wave"] = f["wave"].astype(str)
            f[ALL] = 1.0
            self.frames[audience] = f.reset_index(drop=True)
        # rows of each audience below each unit (the unit itself included)
        self.below: dict[tuple[str, int], np.ndarray] = {}
        for audience, f in self.frames.items():
            owner = f["unit_id"].map(chains)
            exploded = owner.explode()
            for unit, rows in exploded.groupby(exploded.astype(int)).groups.items():
                self.below[(audience, int(unit))] = np.asarray(rows, dtype=np.int64)

    # -- who is behind a figure ---------------------------------------------------------------
    def group(self, p: Published) -> pd.Series:
        """The values of ``p.column`` of everyone behind the published figure."""
        units = p.unit if isinstance(p.unit, tuple) else (p.unit,)
        empty = np.array([], dtype=np.int64)
        rows = np.unique(np.concatenate([self.below.get((p.audience, u), empty) for u in units]))
        keep = self._array(p.audience, "wave")[rows] == p.wave
        if p.role_group is not None:
            keep &= self._array(p.audience, "role_group")[rows] == p.role_group
        values = pd.Series(self._array(p.audience, p.column)[rows[keep]], dtype=float)
        return values.dropna()

    def _array(self, audience: str, column: str) -> np.ndarray:
        key = (audience, column)
        if key not in self._arrays:
            f = self.frames[audience]
            values = f[column].to_numpy()
            if column not in ("wave", "role_group"):
                values = pd.to_numeric(f[column], errors="coerce").to_numpy(dtype=float)
            self._arrays[key] = values
        return self._arrays[key]

    # -- what the document publishes -----------------------------------------------------------
    def published(self) -> Iterator[Published]:
        r = self.results
        yield from self._table("employee", "employee")
        yield from self._table("customer", "customer")
        for row in _records(r.get("response")):
            for audience, key in (("employee", "employees"), ("customer", "customers")):
                if row.get(key) is not None:
                    yield Published(
                        "response", audience, ALL, self.root, row["wave"], None, None, row[key]
                    )
        for row in _records(r.get("customer_overall")):
            grade = row.get("grade") or {}
            if grade:
                yield Published(
                    "customer_overall",
                    "customer",
                    "overall_grade",
                    self.root,
                    row["wave"],
                    None,
                    grade.get("mean"),
                    grade.get("n"),
                )
            nps = row.get("nps") or {}
            if nps:
                yield Published(
                    "customer_overall",
                    "customer",
                    "recommend",
                    self.root,
                    row["wave"],
                    None,
                    nps.get("nps"),
                    nps.get("n"),
                    "nps",
                )
        for row in _records(r.get("moments_of_truth")):
            yield Published(
                "moments_of_truth",
                "customer",
                row["aspect"],
                self.root,
                self.latest,
                None,
                row.get("mean"),
                row.get("n"),
            )
        linkage = r.get("linkage") or {}
        assert isinstance(linkage, dict)
        for row in _records(linkage.get("points")):
            loc = int(row["location"])
            staff = _units(row.get("employee_units"), loc)
            yield self._latest("linkage.points", "employee", "engagement", staff, row["engagement"])
            yield self._latest("linkage.points", "customer", "overall_grade", loc, row["grade"])
        mirror = r.get("mirror") or {}
        assert isinstance(mirror, dict)
        for section, key in (("mirror.overall", "overall"), ("mirror.units", "units")):
            for row in _records(mirror.get(key)):
                unit = self.root if key == "overall" else int(row["unit"])
                aspect = str(row["aspect"])
                yield Published(
                    section,
                    "customer",
                    aspect,
                    unit,
                    self.latest,
                    None,
                    row.get("mean_customer"),
                    row.get("n_customer"),
                )
                yield Published(
                    section,
                    "employee",
                    self.mirror_items[aspect],
                    _units(row.get("employee_units"), unit),
                    self.latest,
                    None,
                    row.get("mean_employee"),
                    row.get("n_employee"),
                )
        risk = r.get("risk") or {}
        assert isinstance(risk, dict)
        for row in _records(risk.get("units")):
            staff = _units(row.get("employee_units"), int(row["unit"]))
            for scale in ("emotional_dissonance", "exhaustion", "recovery"):
                if _number(row.get(scale)) is not None:
                    yield self._latest("risk", "employee", scale, staff, row[scale])
        for row in _records(r.get("ambition")):
            loc = int(row["location"])
            staff = _units(row.get("employee_units"), loc)
            if _number(row.get("engagement")) is not None:
                yield self._latest("ambition", "employee", "engagement", staff, row["engagement"])
            if _number(row.get("current")) is not None:
                yield self._latest("ambition", "customer", "overall_grade", loc, row["current"])

    def _latest(
        self, section: str, audience: str, column: str, unit: int | tuple[int, ...], value: object
    ) -> Published:
        return Published(section, audience, column, unit, self.latest, None, _number(value))

    def _table(self, section: str, audience: str) -> Iterator[Published]:
        table = self.results.get(section) or {}
        assert isinstance(table, dict)
        for cell in _records(table.get("cells")):
            if cell.get("hidden") is not None:
                continue
            unit, wave = int(cell["unit"]), str(cell["wave"])
            role = cell.get("role_group")
            yield Published(section, audience, ALL, unit, wave, role, None, cell.get("n"))
            values = cell.get("values") or {}
            assert isinstance(values, dict)
            for column, value in values.items():
                v = _number(value)
                if v is None:
                    continue
                source, how = _SOURCES.get(column, (column, "mean"))
                yield Published(section, audience, source, unit, wave, role, v, None, how)

    # -- the attack ------------------------------------------------------------------------------
    def run(self, differencing: bool = True) -> Report:
        report = Report()
        cells: dict[tuple[str, str, str], set[tuple[int, str | None]]] = {}
        for p in self.published():
            report.figures += 1
            values = self.group(p)
            where = f"{p.section}: {p.column} of unit {p.unit}, {p.wave}, role {p.role_group}"
            if 0 < len(values) < self.minimum or len(values) == 0:
                report.findings.append(Finding("too_few", f"{where} from {len(values)} people"))
                continue
            if p.n is not None and int(p.n) != len(values):
                report.findings.append(
                    Finding("wrong_value", f"{where}: n {p.n}, but {len(values)} answered")
                )
            expected = _figure(values, p.how)
            if p.value is not None and not math.isclose(p.value, expected, abs_tol=1e-6):
                report.findings.append(
                    Finding("wrong_value", f"{where}: shows {p.value}, the group's is {expected}")
                )
            for unit in p.unit if isinstance(p.unit, tuple) else (p.unit,):
                cells.setdefault((p.audience, p.column, p.wave), set()).add((unit, p.role_group))
        report.findings += self._comments()
        if differencing:
            for (audience, column, wave), shown in sorted(cells.items()):
                report.cells_attacked += len(shown)
                report.findings += self._differencing(audience, column, wave, shown)
        return report

    def _differencing(
        self, audience: str, column: str, wave: str, shown: set[tuple[int, str | None]]
    ) -> list[Finding]:
        f = self.frames[audience]
        answered = f[(f["wave"] == wave) & f[column].notna()]
        micro = answered.groupby(["unit_id", "role_group"]).size().rename("n").reset_index()
        micro = micro.rename(columns={"unit_id": "unit"})
        micro["unit"] = micro["unit"].astype(str)
        micro["wave"] = wave
        attacker = Attacker(self.parents, micro, ["role_group"], self.minimum)
        cells = [
            Cell(str(u), wave, (("role_group", r),) if r is not None else ())
            for u, r in sorted(shown, key=lambda c: (c[0], c[1] or ""))
        ]
        return [
            Finding(
                "disclosure",
                f"{audience} {column} {wave}: {d.how} gives a group of {d.true_n} "
                f"({', '.join(m[0] for m in d.members)})",
            )
            for d in attacker.attack(cells)
        ]

    def _comments(self) -> list[Finding]:
        out = []
        lists = _records(self.results.get("comments"))
        shown: dict[str, int] = {}  # audience -> respondents of the shown lists
        listed: dict[str, int] = {}  # audience -> comments in the shown lists
        for c in lists:
            audience, unit, texts = str(c["audience"]), int(c["unit"]), c["texts"]
            p = Published("comments", audience, ALL, unit, self.latest, None, None)
            n = len(self.group(p))
            shown[audience] = shown.get(audience, 0) + n
            assert isinstance(texts, list)
            counts = c.get("counts") or [1] * len(texts)
            assert isinstance(counts, list)
            listed[audience] = listed.get(audience, 0) + sum(counts)
            if texts and n < self.min_comments:
                out.append(
                    Finding("comments", f"{audience} comments of unit {unit} from {n} people")
                )
            if self.texts is not None:
                # the list is the group's own comments, masked, each counted as given
                written = self._written(audience, unit)
                if sorted(zip(texts, counts, strict=True)) != written:
                    out.append(
                        Finding("comments", f"{audience} comments of unit {unit}: not the group's")
                    )
        for t in _records(self.results.get("comment_themes")):
            audience, root = str(t["audience"]), int(t["unit"])
            everyone = len(
                self.group(Published("themes", audience, ALL, root, self.latest, None, None))
            )
            if everyone < self.min_comments:
                out.append(Finding("comments", f"{audience} themes from {everyone} people"))
            # what the organisation's themes hold beyond the shown lists is about the others
            rest = everyone - shown.get(audience, 0)
            extra = int(str(t["comments"])) - listed.get(audience, 0)
            if extra < 0 or (extra > 0 and rest < self.min_comments):
                out.append(
                    Finding(
                        "comments",
                        f"{audience} themes: {extra} comments beyond the shown lists, "
                        f"from {rest} people",
                    )
                )
            themes = _records(t.get("themes"))
            for j, theme in enumerate(themes):
                in_lists = sum(
                    int(c["counts"][i] if c.get("counts") else 1)  # type: ignore[index]
                    for c in lists
                    if c["audience"] == audience
                    for i, k in enumerate(c.get("theme_of") or [])  # type: ignore[arg-type]
                    if k == j
                )
                if not in_lists <= int(str(theme["count"])) <= in_lists + max(extra, 0):
                    out.append(
                        Finding("comments", f"{audience} theme {j}: count not its comments'")
                    )
        return out

    def _written(self, audience: str, unit: int) -> list[tuple[str, int]]:
        """The comments the group wrote, masked and counted as the list should show them."""
        from spiegel.privacy.masking import count_equal, mask_personal

        assert self.texts is not None
        t = self.texts
        t = t[(t["wave"].astype(str) == self.latest) & (t["audience"] == audience)]
        below = [unit in self.chains.get(int(u), []) for u in t["unit_id"]]
        clean = (mask_personal(str(x).strip()) for x in t.loc[below, "text"])
        return sorted(count_equal(sorted(x for x in clean if x)))


#: Published columns computed from another column's answers.
_SOURCES = {
    "promoter": ("recommend", "share>=9"),
    "detractor": ("recommend", "share<=6"),
    "nps": ("recommend", "nps"),
}


def _figure(values: pd.Series, how: str) -> float:
    if how == "share>=9":
        return float((values >= 9).mean())
    if how == "share<=6":
        return float((values <= 6).mean())
    if how == "nps":
        return float(100 * ((values >= 9).mean() - (values <= 6).mean()))
    return float(values.mean())


def _records(value: object) -> list[dict[str, object]]:
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
        return None
    v = float(value)
    return None if math.isnan(v) else v


def analysed_demo(
    seed: int,
    employees: int,
    locations: int = 80,
    privacy: dict[str, object] | None = None,
    n_boot: int = 20,
) -> tuple[ResultsAttack, Job]:
    """Generate a demo organisation, analyse it in memory; the attack on its results."""
    customers = max(2_000, 8 * employees)
    data = generate(
        seed=seed,
        employees=employees,
        customers_per_wave=customers,
        locations=locations,
        regions=max(2, locations // 20),
    )
    frames = organisation_frames(data)
    frames.privacy = dict(privacy or {})
    results, job = analyse_frames(frames, n_boot=n_boot)
    pairs = dict(job.mirror_pairs())
    employee = job.emp.copy()
    for item in set(pairs.values()):
        employee[item] = frames.employee[item]
    attack = ResultsAttack(
        frames.units,
        {"employee": employee, "customer": job.cust},
        results.to_json(),
        pairs,
        job.latest,
        texts=frames.texts,
    )
    return attack, job


#: The organisations of the full attack: (seed, employees, locations, privacy settings).
ORGANISATIONS = [
    (
        100 + i,
        600 + round(i * 4400 / 19),
        30 + (i * 37) % 130,
        {"min_scores": 7, "min_comments": 12} if i % 4 == 3 else {},
    )
    for i in range(20)
]


def main() -> None:
    """Attack every section of the results of 20 demo organisations; print the figures."""
    print(
        f"{'seed':>4} {'employees':>9} {'units':>5} {'min':>3} {'figures':>8} "
        f"{'cells':>7} {'findings':>8} {'analyse s':>9} {'attack s':>8}"
    )
    total = 0
    for seed, employees, locations, privacy in ORGANISATIONS:
        start = time.perf_counter()
        attack, job = analysed_demo(seed, employees, locations, privacy)
        analysed = time.perf_counter()
        report = attack.run()
        done = time.perf_counter()
        total += len(report.findings)
        print(
            f"{seed:>4} {employees:>9,} {len(job.data.units):>5} {attack.minimum:>3} "
            f"{report.figures:>8,} {report.cells_attacked:>7,} {len(report.findings):>8} "
            f"{analysed - start:>9.1f} {done - analysed:>8.1f}"
        )
        for finding in report.findings[:5]:
            print(f"     {finding.kind}: {finding.detail}")
    print(f"results attack: {len(ORGANISATIONS)} organisations, {total} findings (target 0)")


def _units(given: object, unit: int) -> int | tuple[int, ...]:
    """The unit a figure is about, or the units it was measured over together."""
    if isinstance(given, list) and given:
        return tuple(int(u) for u in given)
    return unit
