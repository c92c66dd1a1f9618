"""The query planner's statistics, refreshed after a bulk write.

A planner without statistics guesses, and SQLite guesses badly for a look-up by hash under an
ordered listing: it walks the sub-district's persons in name order rather than take the hash's
index (40 ms instead of 2 ms on the demo's 28,600 persons, worse with every row). SQLite never
gathers statistics by itself and PostgreSQL's autovacuum does so only some time after a large
load, so the verbs that write thousands of rows at once refresh them as their last statement.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def refresh(*models: type[Model]) -> None:
    """ANALYZE the models' tables (every table of linli's models when none is named).

    Never a bare ANALYZE: on PostgreSQL it also takes the cluster's shared catalogs, whose lock
    is held to the end of the transaction, so a load in one database stalls every other
    database's refresh until it commits."""
    tables = (
        [model._meta.db_table for model in models]
        if models
        else connection.introspection.django_table_names(only_existing=True)
    )
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
