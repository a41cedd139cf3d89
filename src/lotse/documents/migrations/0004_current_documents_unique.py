# The unique indexes run in a migration of their own: on PostgreSQL an index cannot be created
# in the transaction that just updated the table (pending foreign-key trigger events).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0003_current_documents"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='document',
            constraint=models.UniqueConstraint(condition=models.Q(('retired_at__isnull', True), ('translation_of__isnull', True)), fields=('item',), name='document_one_current_original'),
        ),
        migrations.AddConstraint(
            model_name='document',
            constraint=models.UniqueConstraint(condition=models.Q(('retired_at__isnull', True), ('translation_of__isnull', False)), fields=('translation_of',), name='document_one_current_translation'),
        ),
    ]
