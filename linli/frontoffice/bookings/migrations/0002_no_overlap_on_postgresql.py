"""On PostgreSQL, no two active bookings of one resource may overlap (buffers included).

An exclusion constraint over (resource, [blocked_start, blocked_end)) with btree_gist, for the
states that hold a resource. It backs up the locked check in ``services``: even a path that
forgot the lock cannot store an overlap. SQLite has no exclusion constraints; there every
transaction takes the write lock up front (settings: ``transaction_mode = IMMEDIATE``), so the
locked check alone is exact. Raw SQL, so that django.contrib.postgres is not needed.
"""

from django.db import migrations

ACTIVE = "('requested', 'pending_approval', 'confirmed', 'checked_in')"

EXTENSION = "CREATE EXTENSION IF NOT EXISTS btree_gist;"
CREATE = f"""
ALTER TABLE bookings_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist (
    resource_id WITH =,
    tstzrange(blocked_start, blocked_end, '[)') WITH &&
) WHERE (state IN {ACTIVE});
"""
DROP = "ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS booking_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXTENSION)
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
