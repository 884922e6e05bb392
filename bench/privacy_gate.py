"""Time the privacy gate on a synthetic organisation of about 2,500 units.

    uv run python bench/privacy_gate.py [--waves 4] [--scales 20] [--seed 1] [--cross]

The generator lives with the privacy tests (``tests/privacy/large.py``), which check the
same organisation for correctness; this script only times it and prints the figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.privacy.large import main

if __name__ == "__main__":
    main()
