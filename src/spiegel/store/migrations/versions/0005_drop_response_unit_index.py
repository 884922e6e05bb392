"""drop ix_response_unit_id: (survey_id, unit_id) serves every query, and each extra index
on response slows bulk imports (about 2 s per million rows on PostgreSQL)

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_response_unit_id", table_name="response")


def downgrade() -> None:
    op.create_index("ix_response_unit_id", "response", ["unit_id"], unique=False)
