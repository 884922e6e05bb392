"""response_block: imported responses stored many to a row; response ids never reused

Imports write their responses as column blocks (``spiegel.store.blocks``): a million
imported rows are a few dozen table rows instead of a million rows with two index
entries each. On SQLite ``response`` is rebuilt with ``AUTOINCREMENT`` so that an import
can reserve a range of response ids that later submissions never take; PostgreSQL's
sequence already works that way. On PostgreSQL the (already compressed) block data is
stored without a second compression. Blocks are immutable like responses.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_IMMUTABLE = (
    "CREATE TRIGGER {table}_immutable BEFORE UPDATE ON {table} BEGIN "
    "SELECT RAISE(ABORT, 'responses are immutable: {table} rows cannot be updated'); END"
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "response_block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("n_rows", sa.Integer(), nullable=False),
        sa.Column("first_response_id", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name=op.f("fk_response_block_batch_id_import_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_response_block_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_block")),
    )
    op.create_index(
        op.f("ix_response_block_survey_id"), "response_block", ["survey_id"], unique=False
    )
    if postgres:
        op.execute("ALTER TABLE response_block ALTER COLUMN data SET STORAGE EXTERNAL")
        op.execute(
            "CREATE TRIGGER response_block_immutable BEFORE UPDATE ON response_block "
            "FOR EACH ROW EXECUTE FUNCTION spiegel_refuse_update()"
        )
        return
    op.execute(_SQLITE_IMMUTABLE.format(table="response_block"))
    # Rebuilt with AUTOINCREMENT (foreign keys are not enforced on the migration's
    # connection, so text_answer keeps its rows); the rebuild drops the trigger.
    with op.batch_alter_table(
        "response", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass
    op.execute(_SQLITE_IMMUTABLE.format(table="response"))


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute(
        "DROP TRIGGER IF EXISTS response_block_immutable"
        + (" ON response_block" if postgres else "")
    )
    op.drop_index(op.f("ix_response_block_survey_id"), table_name="response_block")
    op.drop_table("response_block")
    if not postgres:
        with op.batch_alter_table(
            "response", recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ):
            pass
        op.execute(_SQLITE_IMMUTABLE.format(table="response"))
