"""The privacy gate: its time on about 2,500 units, its suppressions against the exact
optimum on demo organisations, and an attack on the results of 20 demo organisations.

    uv run python bench/privacy_gate.py [--waves 4] [--scales 20] [--seed 1] [--cross]
        [--repeat 1] [--demos 1:1200:80,...] [--only PART] [--skip PART]

PART is ``gate``, ``optimum`` or ``results`` (``--only-results`` and ``--skip-results``
still work).

1. ``gate``: the synthetic organisation of ``tests/privacy/large.py`` (which the privacy
   tests also check): size, time to protect it (best of ``--repeat``) and cells hidden
   per level, with each choice of ``hide_first``.
2. ``optimum``: for demo organisations (``seed:employees:locations``; ``spiegel demo`` is
   ``1:1200:80``), the employee table ``spiegel analyze`` protects: team, location,
   region and organisation cells shown by the gate (each ``hide_first``) and by the exact
   optimum of ``tests/privacy/optimum.py`` (weights in ``tests/privacy/demo_tables.py``).
3. ``results``: ``tests/privacy/results_attack.py`` on 20 demo organisations.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.privacy import demo_tables, large, results_attack

DEMOS = "1:1200:80,2:1200:80,3:1200:80,4:1200:80,5:1200:80,1:600:40,1:5000:300"
PARTS = ("gate", "optimum", "results")


def main() -> None:
    argv = sys.argv[1:]
    argv = ["--only=results" if a == "--only-results" else a for a in argv]
    argv = ["--skip=results" if a == "--skip-results" else a for a in argv]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--waves", type=int, default=4)
    ap.add_argument("--scales", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cross", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="protect this often; best time")
    ap.add_argument("--demos", default=DEMOS, help="seed:employees:locations, comma-separated")
    ap.add_argument("--only", choices=PARTS, action="append", default=[])
    ap.add_argument("--skip", choices=PARTS, action="append", default=[])
    args = ap.parse_args(argv)
    run = [p for p in (args.only or PARTS) if p not in args.skip]
    if "gate" in run:
        large.report(args.seed, args.waves, args.scales, args.cross, args.repeat)
    if "optimum" in run:
        demos = [d.split(":") for d in args.demos.split(",")]
        demo_tables.report([(int(s), int(e), int(n)) for s, e, n in demos])
    if "results" in run:
        print()
        results_attack.main()


if __name__ == "__main__":
    main()
