"""The stamp that tells intake its kept copy of the setup is out of date (see cases/intake_setup.py).

PostgreSQL only: a one-row table, a sequence, and a statement trigger on every table intake
keeps, which gives the row a new number whenever anything writes to that table. A later
migration that makes intake keep another table adds the trigger to it
(tests/cases/test_intake_setup.py checks that every kept table has one).
"""

from django.db import migrations

STAMP_TABLE = "cases_setup_stamp"
WATCHED_TABLES = (
    "cases_category",
    "cases_categoryfield",
    "cases_timelimit",
    "cases_routingrule",
    "core_organisation",
    "core_workday",
    "registry_grid",
)
FUNCTION = "cases_setup_changed"
SEQUENCE = "cases_setup_version"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE SEQUENCE {SEQUENCE}")
    schema_editor.execute(
        f"CREATE TABLE {STAMP_TABLE} (id smallint PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)"
    )
    schema_editor.execute(f"INSERT INTO {STAMP_TABLE} VALUES (1, nextval('{SEQUENCE}'))")
    schema_editor.execute(
        f"""CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {STAMP_TABLE} SET version = nextval('{SEQUENCE}') WHERE id = 1;
            RETURN NULL;
        END $$"""
    )
    for table in WATCHED_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {FUNCTION} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in WATCHED_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {FUNCTION} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    schema_editor.execute(f"DROP TABLE IF EXISTS {STAMP_TABLE}")
    schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_case_list_order"),
        ("core", "0003_scheduled_slot"),
        ("registry", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
