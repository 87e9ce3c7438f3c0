"""Every existing programme gets a row for each of the form's built-in questions, worded as the brief (the default
set in `applications.questions.defaults`), so its manager sees and edits them beside her own questions. Its form
asks exactly what it asked before: the rows say what the code said."""

from django.db import migrations

from applications.questions.defaults import DEFAULTS

LONG_TEXT = "long_text"


def add_rows(apps, schema_editor):
    Programme = apps.get_model("applications", "Programme")
    Question = apps.get_model("applications", "Question")
    Application = apps.get_model("applications", "Application")
    for programme in Programme.objects.all():
        present = set(
            Question.objects.filter(programme=programme).exclude(builtin="").values_list("builtin", flat=True)
        )
        Question.objects.bulk_create(
            Question(
                programme=programme,
                builtin=default.key,
                kind=default.kind,
                label=default.label,
                hint=default.hint,
                required=default.required,
                section=default.section,
                order=0,
                max_length=(
                    Application._meta.get_field(default.key).max_length if default.kind == LONG_TEXT else None
                ),
            )
            for default in DEFAULTS
            if default.key not in present
        )


def remove_rows(apps, schema_editor):
    apps.get_model("applications", "Question").objects.exclude(builtin="").delete()


class Migration(migrations.Migration):
    dependencies = [("applications", "0018_question_builtin")]

    operations = [migrations.RunPython(add_rows, remove_rows)]
