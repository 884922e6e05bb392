"""response_exclusion: time windows of a location link left out of the analysis

Against ballot stuffing: an admin can leave the web responses a location link received
in a time window out of the analysis, with a reason. Responses stay immutable; undoing
an exclusion fills ``revoked_by``/``revoked_at`` and no row is ever deleted, so the
table is the log of who excluded what, when and why.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "response_exclusion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(length=320), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_response_exclusion_window")),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_response_exclusion_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_response_exclusion_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_exclusion")),
    )
    op.create_index(
        op.f("ix_response_exclusion_survey_id"), "response_exclusion", ["survey_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_response_exclusion_survey_id"), table_name="response_exclusion")
    op.drop_table("response_exclusion")
