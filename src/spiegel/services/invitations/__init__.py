"""Survey links as use cases: issue them, follow them, save answers as they come, submit.

Two kinds of link (both rows of :class:`~spiegel.store.models.Invitation`):

* A **personal link** (employees) carries a random token of 192 bits
  (``secrets.token_urlsafe(24)``); only its sha256 is stored, so the tokens are handed out
  once, for the mail merge, and cannot be read back. Answers in progress live in
  ``Invitation.draft``; the link submits once.
* A **location link** (customers) is shared by everyone at a location (a QR code at the
  entrance). Its token is derived from the secret key, the survey and the unit
  (HMAC-SHA256), so the same poster can be printed again without storing the token.
  Each respondent's answers in progress live in an
  :class:`~spiegel.store.models.AnonymousDraft` keyed by a random id their browser holds.

A response copies unit and role group from its link and refers neither to the link nor
to a person. On a personal link the submission date is kept to the day (on the link and
on the response), so the two cannot be matched by their time of submission.

The package holds :mod:`.links` (tokens, and following a link to its survey),
:mod:`.issuing` (creating links) and :mod:`.drafts` (answers in progress); submitting
is :mod:`spiegel.services.submissions`.
"""

from spiegel.services.invitations.drafts import (
    EMPTY_DRAFT,
    SUBMITTED_DRAFT,
    Draft,
    anonymous_draft_row,
    checked_values,
    load_draft,
    locked_personal_draft,
    merge_draft,
    save_draft,
)
from spiegel.services.invitations.issuing import (
    LocationLink,
    PersonalLink,
    create_personal_invitations,
    ensure_location_links,
)
from spiegel.services.invitations.links import (
    TOKEN_BYTES,
    Link,
    LinkedSurvey,
    LinkNotFound,
    SurveyUnavailable,
    link_url,
    location_token,
    new_draft_key,
    new_token,
    resolve_link,
    today_utc,
    token_hash,
)

__all__ = [
    "EMPTY_DRAFT",
    "SUBMITTED_DRAFT",
    "TOKEN_BYTES",
    "Draft",
    "Link",
    "LinkNotFound",
    "LinkedSurvey",
    "LocationLink",
    "PersonalLink",
    "SurveyUnavailable",
    "anonymous_draft_row",
    "checked_values",
    "create_personal_invitations",
    "ensure_location_links",
    "link_url",
    "load_draft",
    "location_token",
    "locked_personal_draft",
    "merge_draft",
    "new_draft_key",
    "new_token",
    "resolve_link",
    "save_draft",
    "today_utc",
    "token_hash",
]
