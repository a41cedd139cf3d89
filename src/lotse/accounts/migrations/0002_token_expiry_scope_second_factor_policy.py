from __future__ import annotations

from datetime import timedelta
from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def _expire_in_a_year(apps: Any, schema_editor: Any) -> None:
    # Tokens made before expiry dates existed get the longest validity a new token may have.
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_at=None):
        token.expires_at = token.created_at + timedelta(days=365)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(_expire_in_a_year, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("read_write", "Read and write")],
                default="read_write",
                max_length=10,
                verbose_name="scope",
            ),
        ),
        migrations.CreateModel(
            name="SecondFactorPolicy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "required",
                    models.BooleanField(default=False, verbose_name="second factor required"),
                ),
                (
                    "organisation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="second_factor_policy",
                        to="organisations.organisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "second-factor rule",
                "verbose_name_plural": "second-factor rules",
            },
        ),
    ]
