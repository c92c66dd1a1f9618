"""Audit actions were named in three schemes (``queue.call``, ``case_submit``, bare ``create``);
from now on every action is ``app.object.verb``, declared by its app. Nothing was deployed
yet, so the stored names are renamed once, here."""

from django.db import migrations

REGISTRY = {
    "core.organisation": "organisation",
    "registry.grid": "grid",
    "registry.quarter": "quarter",
    "registry.building": "building",
    "registry.enterprise": "enterprise",
    "registry.facility": "facility",
}
CASE_VERBS = [
    "register", "reject", "dispatch", "merge", "accept", "return", "start_handling",
    "wait_for_reporter", "resume", "request_extension", "approve_extension", "deny_extension",
    "submit_for_verification", "rework", "verify", "record_callback", "close", "reopen",
    "register_long_term", "add_co_handler", "complete_co_handling", "submit", "rate",
]
# old name -> new name, whatever the object
PLAIN = {
    **{f"case_{verb}": f"cases.case.{verb}" for verb in CASE_VERBS},
    "case_reminder": "cases.case.remind",
    "case_supervision": "cases.case.supervise",
    "admin_create": "core.admin.create",
    "admin_update": "core.admin.update",
    "admin_delete": "core.admin.delete",
    "unmask": "core.personal_data.unmask",
    "login": "core.session.login",
    "logout": "core.session.logout",
    "inspections.plan": "inspections.plan.create",
    "inspections.cancel": "inspections.plan.cancel",
    "inspections.schedule": "inspections.visit.schedule",
    "inspections.result": "inspections.result.record",
    "inspections.merge": "inspections.plan.merge",
    "prospect_move": "investment.prospect.move",
    "prospect_action": "investment.next_action.create",
    "prospect_action_done": "investment.next_action.complete",
    "prospect_register": "investment.prospect.register",
    "prospect_create": "investment.prospect.create",
    "prospect_update": "investment.prospect.update",
    "vacant_unit_update": "investment.vacant_unit.update",
    "vacant_unit_create": "investment.vacant_unit.create",
    "park.publish_notice": "park.notice.publish",
    "park.remind_unread": "park.notice.remind",
    "park.read_notice": "park.notice.read",
    "park.file_request": "park.request.file",
    "park.forward_request": "park.request.forward",
    "park.decline_request": "park.request.decline",
    "log_visit": "retention.visit.log",
    "assign_butler": "retention.portfolio.assign",
    "book": "bookings.booking.book",
    "rotate_tokens": "bookings.resource.rotate_tokens",
    "rotate_feed": "bookings.feed.rotate",
    "catalog_item_created": "catalog.item.create",
    "catalog_item_updated": "catalog.item.update",
    "event_create": "events.event.create",
    "event_update": "events.event.update",
    "event_cancel": "events.event.cancel",
    "event_register": "events.registration.create",
    "event_cancel_registration": "events.registration.cancel",
    "event_offer": "events.registration.offer",
    "event_accept_offer": "events.registration.accept_offer",
    "event_offer_expired": "events.registration.expire_offer",
    "event_approve": "events.registration.approve",
    "event_reject": "events.registration.reject",
    "event_check_in": "events.registration.check_in",
    "event_rate": "events.registration.rate",
    "queue.issue": "queue.ticket.issue",
    "queue.call": "queue.ticket.call",
    "queue.recall": "queue.ticket.recall",
    "queue.start": "queue.ticket.start",
    "queue.finish": "queue.ticket.finish",
    "queue.no_show": "queue.ticket.no_show",
    "queue.transfer": "queue.ticket.transfer",
    "queue.cancel": "queue.ticket.cancel",
    "queue.open_counter": "queue.counter.open",
    "queue.close_counter": "queue.counter.close",
    "queue.close_day": "queue.day.close",
    "queue.rotate_device_key": "queue.hall.rotate_device_key",
    "lifecircle_network_import": "lifecircle.network.import",
    "lifecircle_network_use": "lifecircle.network.use",
    "lifecircle_standard_update": "lifecircle.standard.update",
    "policy_load": "policies.policy.load",
    "policy_deactivate": "policies.policy.deactivate",
    "policy_reactivate": "policies.policy.reactivate",
    "policy_screening_requested": "policies.screening.request",
    "policy_grant": "policies.grant.create",
    "policy_grant_revoke": "policies.grant.revoke",
    "policy_apply": "policies.application.submit",
    "policy_fact": "policies.fact.record",
}
# (old name, object type) -> new name, for the names that said only the verb
BY_OBJECT = {
    **{
        (verb, object_type): f"registry.{kind}.{verb}"
        for object_type, kind in REGISTRY.items()
        for verb in ("create", "update", "delete", "import")
    },
    ("create", "retention.visitplan"): "retention.visit_plan.create",
    ("update", "retention.visitplan"): "retention.visit_plan.end",
    ("create", "retention.butlernote"): "retention.butler_note.create",
    ("create", "bookings.resource"): "bookings.resource.create",
    ("update", "bookings.resource"): "bookings.resource.update",
    **{
        (verb, "bookings.booking"): f"bookings.booking.{verb}"
        for verb in ("approve", "reject", "cancel", "check_in", "release_no_show", "complete")
    },
}


def rename(apps, schema_editor):
    entries = apps.get_model("core", "AuditEntry").objects
    for old, new in PLAIN.items():
        entries.filter(action=old).update(action=new)
    for (old, object_type), new in BY_OBJECT.items():
        entries.filter(action=old, object_type=object_type).update(action=new)


def rename_back(apps, schema_editor):
    entries = apps.get_model("core", "AuditEntry").objects
    for old, new in PLAIN.items():
        entries.filter(action=new).update(action=old)
    for (old, object_type), new in BY_OBJECT.items():
        entries.filter(action=new, object_type=object_type).update(action=old)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_clock_defaults")]

    operations = [migrations.RunPython(rename, rename_back)]
