"""import batches: the mapping is part of a file's identity; outcomes undo

Adds ``import_batch.mapping_sha256`` (the digest of the mapping and read options a file
was imported with; empty for batches imported before) to the unique key, so a file
imported again with a corrected mapping is a new import, and ``import_batch.replaced``
(the outcome figures an import overwrote, restored when it is undone).

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNIQUE = "uq_import_batch_organisation_id"


def upgrade() -> None:
    with op.batch_alter_table("import_batch") as batch:
        batch.add_column(
            sa.Column("mapping_sha256", sa.String(length=64), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("replaced", sa.JSON(), nullable=True))
        batch.drop_constraint(UNIQUE, type_="unique")
        batch.create_unique_constraint(
            UNIQUE, ["organisation_id", "kind", "target", "sha256", "mapping_sha256"]
        )


def downgrade() -> None:
    # One file imported under several mappings: the later batches keep their rows but
    # forget the file (their sha256 becomes the padded batch id), so nothing is deleted.
    padded = (
        "lpad(CAST(id AS TEXT), 64, '0')"
        if op.get_bind().dialect.name == "postgresql"
        else "printf('%064d', id)"
    )
    op.execute(
        f"UPDATE import_batch SET sha256 = {padded} WHERE id NOT IN ("
        "SELECT MIN(id) FROM import_batch GROUP BY organisation_id, kind, target, sha256)"
    )
    with op.batch_alter_table("import_batch") as batch:
        batch.drop_constraint(UNIQUE, type_="unique")
        batch.create_unique_constraint(UNIQUE, ["organisation_id", "kind", "target", "sha256"])
        batch.drop_column("replaced")
        batch.drop_column("mapping_sha256")
