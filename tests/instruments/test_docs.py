"""The examples in docs/instruments.md are valid instrument files."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from spiegel.instruments import get_instrument, validate_file

DOC = Path(__file__).parents[2] / "docs" / "instruments.md"


def _examples() -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return [b for b in blocks if "\nversion:" in b]


def test_every_complete_example_in_the_docs_validates(tmp_path: Path) -> None:
    examples = _examples()
    assert len(examples) == 3
    for text in examples:
        name = yaml.safe_load(text)["name"]
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    for path in sorted(tmp_path.iterdir()):
        assert validate_file(path) == [], path.name
    survey = get_instrument("our_employee_survey", extra_dirs=[tmp_path])
    assert survey.scale_specs()["uwes_vigor"].min == 0.0
    assert survey.item_ids[-1] == "our_comment"


def test_docs_list_every_builtin_and_standard_format() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in ("engagement", "drivers", "strain", "mirror", "employee", "customer"):
        assert f"| `{name}` |" in text
    assert "| `feedback360` |" in text
    for fmt in ("agree5", "likelihood", "grade", "text"):
        assert f"| `{fmt}` |" in text
