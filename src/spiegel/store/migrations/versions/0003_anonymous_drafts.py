"""anonymous drafts: answers in progress through a location (customer) link

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "anonymous_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitation.id"],
            name=op.f("fk_anonymous_draft_invitation_id_invitation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anonymous_draft")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_anonymous_draft_key_hash")),
    )
    with op.batch_alter_table("anonymous_draft", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_anonymous_draft_invitation_id"), ["invitation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("anonymous_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_anonymous_draft_invitation_id"))
    op.drop_table("anonymous_draft")
