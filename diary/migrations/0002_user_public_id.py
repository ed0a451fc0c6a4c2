"""A stable public id per account (the FHIR Patient identifier).

Three steps, because AddField evaluates a callable default once: every existing row would
get the same UUID and the unique index would fail. Add the column nullable, give each row
its own UUID, then make it unique and required.
"""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    User = apps.get_model("diary", "User")
    rows = User.objects.filter(public_id__isnull=True).only("pk")
    for user in rows.iterator(chunk_size=2000):
        user.public_id = uuid.uuid4()
        user.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
