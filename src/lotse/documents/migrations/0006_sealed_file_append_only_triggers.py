"""Sealed files refuse UPDATE and DELETE below the ORM too (lotse.core.evidence)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from lotse.core import evidence

TABLES = ("documents_sealedfile",)


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    evidence.install(schema_editor, TABLES)


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    evidence.uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_acceptance_reason"), ("core", "0001_redaction_window")]
    operations = [
        migrations.AlterModelOptions(
            name="sealedfile",
            options={
                "base_manager_name": "objects",
                "ordering": ("case", "number"),
                "verbose_name": "sealed file",
                "verbose_name_plural": "sealed files",
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
