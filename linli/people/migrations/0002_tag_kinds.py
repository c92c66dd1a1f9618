"""The tag kinds every sub-district starts with (``linli.people.tag_kinds``, which also
recreates them after every ``migrate``)."""

from django.db import migrations

from linli.people.tag_kinds import STARTING_KINDS, ensure_starting_kinds


def add(apps, schema_editor):
    ensure_starting_kinds(apps, using=schema_editor.connection.alias)


def remove(apps, schema_editor):
    TagKind = apps.get_model("people", "TagKind")
    TagKind.objects.filter(code__in=[k[0] for k in STARTING_KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
