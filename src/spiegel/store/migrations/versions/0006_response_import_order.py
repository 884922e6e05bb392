"""response: one index besides the key, and respondent ids compared byte by byte

Drops ``ix_response_survey_unit``: every query on responses selects a survey, which the
unique index on ``(survey_id, external_id)`` serves, and keeping a second index in random
unit order cost about 1.8 s per million imported rows on PostgreSQL. On PostgreSQL
``external_id`` gets the ``C`` collation, the byte order imports write rows in, so the
unique index grows at its edge during an import.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_response_survey_unit", table_name="response")
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "response",
            "external_id",
            type_=sa.String(128, collation="C"),
            existing_type=sa.String(128),
            existing_nullable=False,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "response",
            "external_id",
            type_=sa.String(128),
            existing_type=sa.String(128, collation="C"),
            existing_nullable=False,
        )
    op.create_index("ix_response_survey_unit", "response", ["survey_id", "unit_id"], unique=False)
