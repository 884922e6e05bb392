"""Per-organisation anonymity settings: reporting minimums and permitted splits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, get_args

#: The lowest reporting minimum Spiegel accepts for any figure, whatever an
#: organisation asks for: with two respondents each one knows the other's answer.
ABSOLUTE_MINIMUM = 3

TableKind = Literal["scores", "rater360", "comments"]

#: Which of several cells that protect a group equally well complementary suppression
#: hides: the group with the fewest respondents (usually the team), or the unit higher in
#: the tree (its location). See :func:`spiegel.privacy.protect`.
HideFirst = Literal["smaller", "higher"]
HIDE_FIRST: tuple[HideFirst, ...] = get_args(HideFirst)


def _frozen(values: Iterable[str], what: str) -> frozenset[str]:
    if isinstance(values, str):
        raise ValueError(f"{what} must be a collection of names, not the string {values!r}")
    out = frozenset(values)
    bad = [v for v in out if not isinstance(v, str) or not v]
    if bad:
        raise ValueError(f"{what} must hold non-empty strings, got {bad!r}")
    return out


@dataclass(frozen=True)
class PrivacySettings:
    """The anonymity rules of one organisation.

    Parameters
    ----------
    min_scores
        Fewest respondents a group needs before any figure about it (score, count,
        distribution, response rate) is shown. Default 5; never below 3.
    min_comments
        Fewest respondents a group needs before its open comments are shown. Default 10;
        never below ``min_scores``.
    min_360_group
        Fewest raters a 360° rater group (peers, direct reports, customers, ...) needs.
        Default 3; never below 3.
    exempt_rater_groups
        360° rater groups that are one known person and therefore exempt from the
        minimum: the person themself and their manager.
    allowed_split_attributes
        Respondent attributes that may be used to filter or split results (for example
        ``role_group``). A table split by any other attribute is refused.
    rater_attribute
        Name of the attribute that holds the 360° rater group.
    """

    min_scores: int = 5
    min_comments: int = 10
    min_360_group: int = 3
    exempt_rater_groups: frozenset[str] = field(
        default_factory=lambda: frozenset({"self", "manager"})
    )
    allowed_split_attributes: frozenset[str] = field(
        default_factory=lambda: frozenset({"role_group"})
    )
    rater_attribute: str = "rater_group"

    def __post_init__(self) -> None:
        for name in ("min_scores", "min_comments", "min_360_group"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"PrivacySettings.{name} must be an integer, got {value!r}")
            if value < ABSOLUTE_MINIMUM:
                raise ValueError(
                    f"PrivacySettings.{name} = {value} is below the absolute minimum of "
                    f"{ABSOLUTE_MINIMUM} respondents"
                )
        if self.min_comments < self.min_scores:
            raise ValueError(
                f"PrivacySettings.min_comments = {self.min_comments} must not be below "
                f"min_scores = {self.min_scores}: comments identify people more easily"
            )
        object.__setattr__(
            self,
            "exempt_rater_groups",
            _frozen(self.exempt_rater_groups, "PrivacySettings.exempt_rater_groups"),
        )
        object.__setattr__(
            self,
            "allowed_split_attributes",
            _frozen(self.allowed_split_attributes, "PrivacySettings.allowed_split_attributes"),
        )
        if not isinstance(self.rater_attribute, str) or not self.rater_attribute:
            raise ValueError("PrivacySettings.rater_attribute must be a non-empty string")

    def minimum(self, kind: TableKind) -> int:
        """The reporting minimum for a table of ``kind``."""
        if kind == "scores":
            return self.min_scores
        if kind == "rater360":
            return self.min_360_group
        if kind == "comments":
            return self.min_comments
        raise ValueError(f"unknown table kind {kind!r}; use 'scores', 'rater360' or 'comments'")

    def allowed_for(self, kind: TableKind) -> frozenset[str]:
        """Split attributes permitted in a table of ``kind``."""
        if kind == "rater360":
            return self.allowed_split_attributes | {self.rater_attribute}
        return self.allowed_split_attributes
