"""The audit trail becomes a hash chain (lotse.audit.chain) guarded on PostgreSQL and SQLite.

Existing events are chained in id order. The old PostgreSQL-only trigger is replaced by the
guard of lotse.core.evidence, which also allows retention to neutralise the personal columns.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from lotse.audit import chain
from lotse.core import evidence

TABLES = ("audit_auditevent", "audit_auditeventconcern")


def drop_old_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS lotse_audit_refuse_change()")


def chain_existing(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Historical models have plain managers, so this UPDATE is possible here and nowhere else.
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditEventConcern = apps.get_model("audit", "AuditEventConcern")
    concerns: dict[int, list[int]] = {}
    for event_id, organisation_id in AuditEventConcern.objects.values_list(
        "event_id", "organisation_id"
    ):
        concerns.setdefault(event_id, []).append(organisation_id)
    prev = chain.GENESIS
    for event in AuditEvent.objects.order_by("id").iterator():
        event.prev_hash = prev
        event.personal_sha256 = chain.personal_digest(
            object_repr=event.object_repr,
            before=event.before,
            after=event.after,
            ip_address=event.ip_address,
        )
        event.hash = chain.event_hash(
            prev_hash=prev,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            actor_organisation_id=event.actor_organisation_id,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            request_id=event.request_id,
            personal_sha256=event.personal_sha256,
            concern_ids=concerns.get(event.id, []),
        )
        event.save(update_fields=["prev_hash", "personal_sha256", "hash"])
        prev = event.hash


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    evidence.install(schema_editor, TABLES)


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    evidence.uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger"), ("core", "0001_redaction_window")]
    operations = [
        migrations.RunPython(drop_old_triggers, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "base_manager_name": "objects",
                "ordering": ("-occurred_at", "-id"),
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64, verbose_name="previous hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="personal_sha256",
            field=models.CharField(
                default="", max_length=64, verbose_name="digest of the personal fields"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="redacted",
            field=models.BooleanField(default=False, verbose_name="personal data deleted"),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(max_length=64, unique=True, verbose_name="previous hash"),
        ),
        migrations.RunPython(install, uninstall),
    ]
