"""Case history refuses UPDATE and DELETE below the ORM too (lotse.core.evidence)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from lotse.core import evidence

TABLES = ("cases_casetransition",)


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    evidence.install(schema_editor, TABLES)


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    evidence.uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_list_due_and_list_indexes"), ("core", "0001_redaction_window")]
    operations = [
        migrations.AlterModelOptions(
            name="casetransition",
            options={
                "base_manager_name": "objects",
                "ordering": ("case", "recorded_at", "id"),
                "verbose_name": "case history entry",
                "verbose_name_plural": "case history",
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
