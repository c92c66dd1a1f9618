"""Intake keeps more of its setup (see cases/intake_setup.py), and keeps it on SQLite too.

- PostgreSQL: the dispatch centre's people are kept now, so memberships stamp the setup, and so
  do users, for the columns intake reads (whether the account is active, where e-mail goes). A
  trigger that names its columns lets the ``last_login`` of a sign-in leave the kept copy alone.
- SQLite (development and trial installs) gets the stamp row and its triggers now. SQLite has
  no sequences and no statement triggers: a row trigger gives the stamp a random 64-bit number,
  which a rolled-back change cannot bring back either (an ``n + 1`` would: the next change
  would count to the same number again, under which a process may have kept other content).
"""

from django.db import migrations

STAMP_TABLE = "cases_setup_stamp"
FUNCTION = "cases_setup_changed"
# As in 0003, plus memberships.
WATCHED_TABLES = (
    "cases_category",
    "cases_categoryfield",
    "cases_timelimit",
    "cases_routingrule",
    "core_organisation",
    "core_workday",
    "registry_grid",
    "core_membership",
)
USER_COLUMNS = "is_active, email"


def _sqlite_triggers():
    bump = f"BEGIN UPDATE {STAMP_TABLE} SET version = random() WHERE id = 1; END"
    for table in WATCHED_TABLES:
        for operation in ("INSERT", "UPDATE", "DELETE"):
            yield f"{FUNCTION}_{table}_{operation.lower()}", f"AFTER {operation} ON {table}", bump
    yield f"{FUNCTION}_core_user_update", f"AFTER UPDATE OF {USER_COLUMNS} ON core_user", bump
    yield f"{FUNCTION}_core_user_delete", "AFTER DELETE ON core_user", bump


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TRIGGER {FUNCTION} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
            f" ON core_membership FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {FUNCTION} AFTER UPDATE OF {USER_COLUMNS} OR DELETE OR TRUNCATE"
            f" ON core_user FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TABLE {STAMP_TABLE}"
            " (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL)"
        )
        schema_editor.execute(f"INSERT INTO {STAMP_TABLE} VALUES (1, random())")
        for name, when, body in _sqlite_triggers():
            schema_editor.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW {body}")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in ("core_membership", "core_user"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FUNCTION} ON {table}")
    elif vendor == "sqlite":
        for name, _when, _body in _sqlite_triggers():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {STAMP_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_setup_stamp")]

    operations = [migrations.RunPython(create, drop)]
