"""Write ``data/results-2.json``: results stored by this release, for the test that every
page and the report still render from them.

    uv run python -m tests.results.make_stored

Run it only when the schema version changes (with a migration path for the old file).
"""

from __future__ import annotations

import json
from pathlib import Path

from spiegel.demo import generate
from spiegel.services.analyze import analyse_frames
from spiegel.services.demo_frames import organisation_frames

PATH = Path(__file__).parent / "data" / "results-2.json"


def main() -> None:
    data = generate(seed=3, employees=600, customers_per_wave=2000, locations=24)
    results, _job = analyse_frames(organisation_frames(data), n_boot=20)
    problems = [s.name for s in results.steps if s.status != "ok"]
    if problems:
        raise SystemExit(f"steps not ok: {problems}")
    document = results.to_json()
    document["generated_at"] = "2026-12-04T12:00:00+00:00"
    PATH.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")))
    print(f"{PATH}: {PATH.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
