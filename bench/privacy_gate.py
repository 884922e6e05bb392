"""Time the privacy gate on a synthetic organisation of about 2,500 units, then attack the
results of 20 demo organisations section by section.

    uv run python bench/privacy_gate.py [--waves 4] [--scales 20] [--seed 1] [--cross]
    uv run python bench/privacy_gate.py --only-results      # just the results attack
    uv run python bench/privacy_gate.py --skip-results      # just the gate timing

The generator lives with the privacy tests (``tests/privacy/large.py``), which check the
same organisation for correctness; the results attack (``tests/privacy/results_attack.py``)
runs on a few of the 20 organisations in the test suite and on all of them here. This
script prints the figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.privacy import results_attack
from tests.privacy.large import main

if __name__ == "__main__":
    only_results = "--only-results" in sys.argv
    skip_results = "--skip-results" in sys.argv
    sys.argv = [a for a in sys.argv if a not in ("--only-results", "--skip-results")]
    if not only_results:
        main()
    if not skip_results:
        results_attack.main()
