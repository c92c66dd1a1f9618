"""Audit actions have one naming scheme, ``app.object.verb``, each declared by its app."""

from __future__ import annotations

import importlib

import pytest

from linli.core import audit
from linli.core.access import Access
from linli.core.models import AuditEntry

rename = importlib.import_module("linli.core.migrations.0005_audit_action_names")


def test_every_declared_action_is_app_object_verb_of_an_installed_app() -> None:
    from django.apps import apps

    labels = {config.label for config in apps.get_app_configs()}
    names = audit.declared()
    assert len(names) > 100
    for name in names:
        app, _object, _verb = name.split(".")
        assert audit.NAME.fullmatch(name), name
        assert app in labels, name


def test_every_declared_action_reads_as_words_in_both_languages() -> None:
    from django.utils import translation

    for name in audit.declared():
        for language in ("en", "zh-hans"):
            with translation.override(language):
                shown = audit.label(name)
            assert shown and shown != name and "%(" not in shown, (language, name)


@pytest.mark.django_db
def test_an_undeclared_action_is_refused_and_nothing_is_written(subdistrict) -> None:
    with pytest.raises(audit.UndeclaredAction):
        audit.record(Access.system(subdistrict), "case_submit")
    with pytest.raises(audit.UndeclaredAction):
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(action="cases.case.submit", object_type="cases.case"),
                AuditEntry(action="create", object_type="cases.case"),
            ]
        )
    assert not AuditEntry.objects.exists()


def test_the_rename_of_stored_names_leads_only_to_declared_names() -> None:
    targets = set(rename.PLAIN.values()) | set(rename.BY_OBJECT.values())
    assert targets <= set(audit.declared())


@pytest.mark.django_db
def test_the_rename_rewrites_the_three_old_schemes(subdistrict) -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    rows = [
        ("queue.call", "queue.ticket"),
        ("case_submit", "cases.case"),
        ("create", "registry.building"),
        ("update", "retention.visitplan"),
        ("catalog_item_updated", "catalog.catalogitem"),
    ]
    # Rows as they were stored before the rename: the model refuses those names now.
    with connection.cursor() as cursor:
        for action, object_type in rows:
            cursor.execute(
                "INSERT INTO core_auditentry (at, action, object_type, object_id, "
                "object_repr, content_hash, note) "
                "VALUES (CURRENT_TIMESTAMP, %s, %s, '', '', '', '')",
                [action, object_type],
            )
    state = MigrationExecutor(connection).loader.project_state(("core", "0005_audit_action_names"))
    rename.rename(state.apps, None)
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == sorted(
        [
            "queue.ticket.call",
            "cases.case.submit",
            "registry.building.create",
            "retention.visit_plan.end",
            "catalog.item.update",
        ]
    )
