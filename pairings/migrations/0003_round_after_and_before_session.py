"""A round's number becomes its place among the group's rounds (1, 2, 3, ... with no gap where a cancelled
session took a round away); the session it follows and the session that ends it are kept beside it."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    Round = apps.get_model("pairings", "Round")
    Session = apps.get_model("sessions_app", "Session")
    cohorts = Round.objects.values_list("cohort_id", flat=True).distinct()
    for cohort_id in cohorts:
        numbers = sorted(
            Session.objects.filter(cohort_id=cohort_id, status="scheduled").values_list("number", flat=True)
        )
        for position, round_ in enumerate(Round.objects.filter(cohort_id=cohort_id).order_by("number"), 1):
            after = round_.number
            round_.after_session = after
            round_.before_session = next((n for n in numbers if n > after), after + 1)
            round_.number = position
            round_.save(update_fields=["after_session", "before_session", "number"])


class Migration(migrations.Migration):
    dependencies = [
        ("pairings", "0002_cohort_is_a_group_on_screen"),
        ("sessions_app", "0004_cohort_is_a_group_on_screen"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="after_session",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="The number of the session the round follows."
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="round",
            name="before_session",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="The number of the session that ends the round."
            ),
            preserve_default=False,
        ),
        migrations.RemoveConstraint(model_name="round", name="coffee_round_number_unique"),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="round",
            name="number",
            field=models.PositiveSmallIntegerField(help_text="The round's place in the group's rounds: 1, 2, 3, ..."),
        ),
        migrations.AddConstraint(
            model_name="round",
            constraint=models.UniqueConstraint(
                fields=("cohort", "after_session"), name="coffee_round_after_session_unique"
            ),
        ),
    ]
