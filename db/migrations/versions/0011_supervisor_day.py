"""The supervisor's day (issue 14): citizens' ratings (好差评) and their follow-ups, closed days (日结), and the
材料交接单 handed to the back office with the cases on each (a case on one list only).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ratings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("decision_id", sa.Uuid(), nullable=True),
        sa.Column("occasion", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=30), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("rated_at", sa.DateTime(), nullable=False),
        sa.Column("clerk_id", sa.Uuid(), nullable=False),
        sa.Column("contact_due", sa.Date(), nullable=True),
        sa.Column("rectify_due", sa.Date(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"], name="fk_ratings_application_id_applications"),
        sa.ForeignKeyConstraint(["decision_id"], ["decisions.id"], name="fk_ratings_decision_id_decisions"),
        sa.ForeignKeyConstraint(["clerk_id"], ["users.id"], name="fk_ratings_clerk_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_ratings"),
        sa.UniqueConstraint(
            "application_id", "occasion", "decision_id", name="uq_ratings_application_id_occasion_decision_id"
        ),
    )
    op.create_index("ix_ratings_application_id", "ratings", ["application_id"])
    op.create_index("ix_ratings_decision_id", "ratings", ["decision_id"])
    op.create_table(
        "rating_follow_ups",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("rating_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by_id", sa.Uuid(), nullable=False),
        sa.Column("reached", sa.Boolean(), nullable=True),
        sa.Column("verification", sa.String(length=20), nullable=True),
        sa.Column("measure", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["rating_id"], ["ratings.id"], name="fk_rating_follow_ups_rating_id_ratings"),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name="fk_rating_follow_ups_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_rating_follow_ups"),
    )
    op.create_index("ix_rating_follow_ups_rating_id", "rating_follow_ups", ["rating_id"])
    op.create_table(
        "day_closes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.Column("closed_by", sa.Uuid(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["closed_by"], ["users.id"], name="fk_day_closes_closed_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_day_closes"),
        sa.UniqueConstraint("day", name="uq_day_closes_day"),
    )
    op.create_table(
        "handovers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("receiver", sa.String(length=100), nullable=True),
        sa.Column("handed_at", sa.DateTime(), nullable=False),
        sa.Column("handed_by", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["handed_by"], ["users.id"], name="fk_handovers_handed_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_handovers"),
        sa.UniqueConstraint("number", name="uq_handovers_number"),
    )
    op.create_table(
        "handover_cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("handover_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["handover_id"], ["handovers.id"], name="fk_handover_cases_handover_id_handovers"),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name="fk_handover_cases_application_id_applications"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_handover_cases"),
        sa.UniqueConstraint("application_id", name="uq_handover_cases_application_id"),
    )
    op.create_index("ix_handover_cases_handover_id", "handover_cases", ["handover_id"])


def downgrade() -> None:
    op.drop_index("ix_handover_cases_handover_id", table_name="handover_cases")
    op.drop_table("handover_cases")
    op.drop_table("handovers")
    op.drop_table("day_closes")
    op.drop_index("ix_rating_follow_ups_rating_id", table_name="rating_follow_ups")
    op.drop_table("rating_follow_ups")
    op.drop_index("ix_ratings_decision_id", table_name="ratings")
    op.drop_index("ix_ratings_application_id", table_name="ratings")
    op.drop_table("ratings")
