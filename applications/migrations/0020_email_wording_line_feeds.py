"""Email wordings saved before their form kept line breaks as LF hold the CR LF browsers send: a draft made from
one and then edited in the outbox was refused as if its date lines had changed. Their text and subject are given
LF line breaks, as the form now saves them."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace


def line_feeds(apps, schema_editor):
    EmailWording = apps.get_model("applications", "EmailWording")
    for field in ("body", "subject"):
        EmailWording.objects.filter(**{f"{field}__contains": "\r\n"}).update(
            **{field: Replace(field, Value("\r\n"), Value("\n"))}
        )


class Migration(migrations.Migration):
    dependencies = [("applications", "0019_builtin_question_rows")]

    operations = [migrations.RunPython(line_feeds, migrations.RunPython.noop)]
