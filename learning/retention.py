"""Retention rules of the learning app (applied by `enforce_retention`; see core/retention.py)."""

import datetime

from django.conf import settings
from django.db import models, transaction

from applications.models import Application, QuestionAnswer
from applications.retention import member_answer_fields
from cohort_site.core.retention import Counts, retention_rule
from sessions_app.models import Attendance, GroupTopic, Session

from .models import AdviceContact, SessionFeedback, SurveyAnswer


# Registered here, the lowest layer that sees all of a member's written words: their application's answers,
# attendance notes and what they wrote about the topics they proposed (schedule) and feedback and survey comments (learning) go together, counted from the group's
# last session.
@retention_rule(
    "member_data",
    order=20,
    setting="MEMBER_DATA_RETENTION",
    kept="members' written answers, attendance notes, topic descriptions, feedback and survey comments, and whom "
    "they would ask for advice",
    after="their group's last session",
)
def member_data(now: datetime.datetime, dry_run: bool) -> Counts:
    cutoff = now - settings.MEMBER_DATA_RETENTION
    finished = (
        Session.objects.values("cohort")
        .annotate(last=models.Max("ends_at"))
        .filter(last__lt=cutoff)
        .values("cohort")
    )
    answer_fields = member_answer_fields()
    answered = models.Q()
    for field in answer_fields:
        answered |= ~models.Q(**{field: ""})
    # Their answers to the programme's own questions go with the written answers (and count with them).
    own_answers = QuestionAnswer.objects.filter(application__cohort__in=finished)
    answered |= models.Q(models.Exists(own_answers.filter(application=models.OuterRef("pk"))))
    applications = Application.objects.filter(answered, cohort__in=finished)
    notes = Attendance.objects.filter(session__cohort__in=finished).exclude(note="")
    feedback = SessionFeedback.objects.filter(session__cohort__in=finished).exclude(
        what_worked="", what_to_change=""
    )
    answers = SurveyAnswer.objects.filter(response__member__cohort__in=finished).exclude(text="")
    topics = GroupTopic.objects.filter(cohort__in=finished).exclude(description="")
    contacts = AdviceContact.objects.filter(response__member__cohort__in=finished)
    counts = {
        "members' written answers": applications.count(),
        "attendance notes": notes.count(),
        "feedback comments": feedback.count(),
        "survey comments": answers.count(),
        "topic descriptions": topics.count(),
        "ticks of whom to ask for advice": contacts.count(),
    }
    if not dry_run:
        with transaction.atomic():
            applications.update(**dict.fromkeys(answer_fields, ""))
            own_answers.delete()
            notes.update(note="")
            feedback.update(what_worked="", what_to_change="")
            answers.update(text="")
            topics.update(description="")
            contacts.delete()
    return counts


# Sharing events and the network digest: their own rule, registered as this module is imported.
from .network import retention as network_retention  # noqa: E402, F401
