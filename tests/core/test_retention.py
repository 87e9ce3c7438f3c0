"""enforce_retention applies every period of the privacy page: a row exactly at the end of its period stays, one
a second past it goes, anonymous counts survive, and a second run changes nothing."""

import datetime
import uuid
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session as DjangoSession
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from applications.models import Application, ExpressionOfInterest, QuestionAnswer
from cohort_site.core.retention import retention_rules
from cohort_site.mail.models import EmailAttachment, OutgoingEmail
from cohort_site.mail.services import Attachment
from cohort_site.members.enums import ExpenseStatus
from cohort_site.members.models import Expense
from cohort_site.members.services import expense_set_status
from learning.models import SessionFeedback, SurveyAnswer
from learning.services import session_feedback_save, survey_response_save, surveys_ensure_defaults
from sessions_app.enums import AttendanceStatus
from sessions_app.models import Attendance
from sessions_app.topics.services import topic_propose
from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    ExpressionOfInterestFactory,
    MemberFactory,
    ProgrammeFactory,
    QuestionFactory,
    SessionFactory,
    StaffFactory,
    application_in,
)
from tests.mail.test_queue import queue_plain

T = datetime.datetime(2026, 1, 5, 12, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)
DAYS = 30


def enforce(at: datetime.datetime, *args) -> str:
    out = StringIO()
    with time_machine.travel(at, tick=False):
        call_command("enforce_retention", *args, stdout=out)
    return out.getvalue()


def line(output: str, key: str) -> str:
    return next(row for row in output.splitlines() if row.startswith(f"{key} "))


@pytest.fixture(autouse=True)
def short_periods(settings):
    for name in (
        "RECRUITMENT_RETENTION",
        "MEMBER_DATA_RETENTION",
        "EXPENSE_RECEIPT_RETENTION",
        "EMAIL_BODY_RETENTION",
        "SIGNIN_LOG_RETENTION",
    ):
        setattr(settings, name, datetime.timedelta(days=DAYS))


def test_command_reports_each_rule_and_a_second_run_finds_nothing(db):
    output = enforce(T)

    assert output.splitlines() == [
        "recruitment (30 days after the programme's application deadline): removed 0 unsuccessful applications, "
        "0 expressions of interest.",
        "member_data (30 days after their group's last session): removed 0 members' written answers, "
        "0 attendance notes, 0 feedback comments, 0 survey comments, 0 topic descriptions, 0 ticks of whom to ask "
        "for advice.",
        "network (30 days after the event, or the sign-up): removed 0 sharing event registrations, 0 digest "
        "sign-ups never confirmed, 0 digest subscribers who unsubscribed.",
        "expense_receipts (30 days after the claim was paid or rejected): removed 0 receipts.",
        "email_bodies (30 days after the email was sent (or failed)): removed 0 emails.",
        "signin_logs (30 days after the attempt): removed 0 sign-in records, 0 expired sessions.",
        "backups (at most 56 days after the archive was made): archives made before this run keep what it removed "
        "until pruning deletes them.",
    ]


def test_rules_keep_their_order_whichever_app_registers_them():
    assert list(retention_rules()) == [
        "recruitment",
        "member_data",
        "network",
        "expense_receipts",
        "email_bodies",
        "signin_logs",
    ]


def test_recruitment_rule(db):
    programme = ProgrammeFactory(
        applications_open_at=T - datetime.timedelta(days=20), applications_close_at=T
    )
    application_in("declined", programme=programme)
    ExpressionOfInterestFactory(programme=programme)
    member = MemberFactory(programme=programme, cohort=CohortFactory(programme=programme))

    inside = enforce(T + datetime.timedelta(days=DAYS))
    counts_inside = (Application.objects.count(), ExpressionOfInterest.objects.count())
    past = enforce(T + datetime.timedelta(days=DAYS) + SECOND)
    again = enforce(T + datetime.timedelta(days=DAYS) + SECOND)

    assert counts_inside == (2, 1)
    assert line(inside, "recruitment").endswith(
        "removed 0 unsuccessful applications, 0 expressions of interest."
    )
    assert line(past, "recruitment").endswith(
        "removed 1 unsuccessful applications, 1 expressions of interest."
    )
    assert line(again, "recruitment").endswith(
        "removed 0 unsuccessful applications, 0 expressions of interest."
    )
    assert list(Application.objects.all()) == [member]


@pytest.fixture
def finished_group(db):
    """A group whose last session ended at T, a member with words everywhere, ratings and attendance."""
    cohort = CohortFactory()
    first = SessionFactory(cohort=cohort, number=1)
    last = SessionFactory(cohort=cohort, number=2)
    type(last).objects.filter(pk=first.pk).update(starts_at=T - datetime.timedelta(days=7, hours=2))
    type(last).objects.filter(pk=first.pk).update(ends_at=T - datetime.timedelta(days=7))
    type(last).objects.filter(pk=last.pk).update(starts_at=T - datetime.timedelta(hours=2), ends_at=T)
    member = MemberFactory(cohort=cohort, challenge="Reaching farmers", accessibility_needs="Captions")
    QuestionAnswer.objects.create(
        application=member, question=QuestionFactory(programme=cohort.programme), text="Near Truro"
    )
    AttendanceFactory(session=first, member=member, status=AttendanceStatus.APOLOGIES, note="At a funeral")
    session_feedback_save(
        session=first, member=member, rating=4, what_worked="The pairs", what_to_change="Longer"
    )
    survey = surveys_ensure_defaults(programme=cohort.programme)[0]
    questions = list(survey.questions.all())
    rating = next(q for q in questions if q.kind == "rating")
    text = next(q for q in questions if q.kind == "text")
    survey_response_save(survey=survey, member=member, answers={rating.pk: 5, text.pk: "Very useful"})
    topic_propose(
        cohort=cohort, member=member, title="Volunteers", description="Keeping ours after the winter"
    )
    # Another group, still running: untouched.
    running = MemberFactory(cohort=SessionFactory(number=1).cohort, hopes="Still hoping")
    return member, running


def test_member_data_rule(finished_group):
    member, running = finished_group

    inside = enforce(T + datetime.timedelta(days=DAYS))
    member.refresh_from_db()
    hopes_inside = member.hopes
    past = enforce(T + datetime.timedelta(days=DAYS) + SECOND)
    again = enforce(T + datetime.timedelta(days=DAYS) + SECOND)

    assert hopes_inside == "New ideas for our volunteers."
    assert line(inside, "member_data").endswith(
        "removed 0 members' written answers, 0 attendance notes, 0 feedback comments, 0 survey comments, 0 topic descriptions, 0 ticks of whom to ask for advice."
    )
    assert line(past, "member_data").endswith(
        "removed 1 members' written answers, 1 attendance notes, 1 feedback comments, 1 survey comments, 1 topic descriptions, 0 ticks of whom to ask for advice."
    )
    assert line(again, "member_data").endswith(
        "removed 0 members' written answers, 0 attendance notes, 0 feedback comments, 0 survey comments, 0 topic descriptions, 0 ticks of whom to ask for advice."
    )
    member.refresh_from_db()
    assert (member.hopes, member.challenge, member.accessibility_needs, member.status, member.name) == (
        "",
        "",
        "",
        "confirmed",
        member.user.name,
    )
    assert list(Attendance.objects.values_list("status", "note")) == [("apologies", "")]
    assert list(SessionFeedback.objects.values_list("rating", "what_worked", "what_to_change")) == [
        (4, "", "")
    ]
    assert sorted(SurveyAnswer.objects.values_list("text", "rating"), key=str) == [("", 5), ("", None)]
    assert QuestionAnswer.objects.count() == 0  # their answers to the programme's own questions too
    running.refresh_from_db()
    assert running.hopes == "Still hoping"


def _paid_claim(member, at: datetime.datetime, status=ExpenseStatus.PAID) -> Expense:
    staff = StaffFactory()
    with time_machine.travel(at - datetime.timedelta(days=3), tick=False):
        expense = Expense.objects.create(
            claimant=member.user,
            programme=member.programme,
            category="travel",
            amount=Decimal("12.50"),
            spent_on=datetime.date(2025, 12, 1),
            description="Train",
            receipt=SimpleUploadedFile("r.pdf", b"%PDF-1.4"),
            receipt_mimetype="application/pdf",
            submission_token=uuid.uuid4(),
        )
    if status != ExpenseStatus.SUBMITTED:
        with time_machine.travel(at, tick=False):
            if status == ExpenseStatus.REJECTED:
                expense_set_status(expense=expense, status=status, by=staff, reason="No receipt date")
            else:
                expense_set_status(expense=expense, status=ExpenseStatus.APPROVED, by=staff)
                expense_set_status(expense=expense, status=status, by=staff)
    return expense


def test_expense_receipt_rule(db, media_root):
    member = MemberFactory()
    paid = _paid_claim(member, T)
    rejected = _paid_claim(member, T, ExpenseStatus.REJECTED)
    waiting = _paid_claim(member, T - datetime.timedelta(days=400), ExpenseStatus.SUBMITTED)
    path = paid.receipt.path

    inside = enforce(T + datetime.timedelta(days=DAYS))
    past = enforce(T + datetime.timedelta(days=DAYS) + SECOND)
    again = enforce(T + datetime.timedelta(days=DAYS) + SECOND)

    assert line(inside, "expense_receipts").endswith("removed 0 receipts.")
    assert line(past, "expense_receipts").endswith("removed 2 receipts.")
    assert line(again, "expense_receipts").endswith("removed 0 receipts.")
    assert sorted(Expense.objects.values_list("pk", "amount", "receipt")) == sorted(
        [
            (paid.pk, Decimal("12.50"), ""),
            (rejected.pk, Decimal("12.50"), ""),
            (waiting.pk, Decimal("12.50"), waiting.receipt.name),
        ]
    )
    assert (media_root / path).exists() is False


def test_email_rule(db, django_capture_on_commit_callbacks):
    with time_machine.travel(T, tick=False), django_capture_on_commit_callbacks(execute=True):
        sent = queue_plain(
            key="sent",
            to="ada@example.org",
            subject="Hello Ada",
            attachments=[Attachment("invite.ics", "text/calendar", b"BEGIN:VCALENDAR")],
        )
    with time_machine.travel(T - datetime.timedelta(days=400), tick=False):
        draft = queue_plain(key="draft", to="bo@example.org", subject="Draft", draft=True)

    inside = enforce(T + datetime.timedelta(days=DAYS))
    past = enforce(T + datetime.timedelta(days=DAYS) + SECOND)
    again = enforce(T + datetime.timedelta(days=DAYS) + SECOND)

    assert line(inside, "email_bodies").endswith("removed 0 emails.")
    assert line(past, "email_bodies").endswith("removed 1 emails.")
    assert line(again, "email_bodies").endswith("removed 0 emails.")
    sent.refresh_from_db()
    assert (sent.to, sent.subject, sent.body_text, sent.body_html, sent.status, sent.kind) == (
        f"erased-{sent.pk}@erased.invalid",
        "(removed after its retention period)",
        "",
        "",
        "sent",
        "learning-survey",
    )
    assert EmailAttachment.objects.count() == 0
    draft.refresh_from_db()
    assert (draft.to, draft.subject) == ("bo@example.org", "Draft")
    assert OutgoingEmail.objects.count() == 2


def test_signin_log_rule(db):
    log = {"ip_address": "192.0.2.7", "user_agent": "Firefox", "http_accept": "*/*", "path_info": "/login/"}
    for at in (T, T + SECOND):
        with time_machine.travel(at, tick=False):  # attempt times are set on creation
            AccessLog.objects.create(username="ada@example.org", **log)
            AccessFailureLog.objects.create(username="ada@example.org", locked_out=False, **log)
            AccessAttempt.objects.create(
                username=f"ada{at.second}@example.org",
                failures_since_start=1,
                get_data="",
                post_data="",
                **log,
            )
    DjangoSession.objects.create(
        session_key="a" * 32, session_data="x", expire_date=T + datetime.timedelta(days=DAYS)
    )

    inside = enforce(T + datetime.timedelta(days=DAYS))
    past = enforce(T + datetime.timedelta(days=DAYS) + SECOND)
    again = enforce(T + datetime.timedelta(days=DAYS) + SECOND)

    assert line(inside, "signin_logs").endswith("removed 0 sign-in records, 0 expired sessions.")
    assert line(past, "signin_logs").endswith("removed 3 sign-in records, 1 expired sessions.")
    assert line(again, "signin_logs").endswith("removed 0 sign-in records, 0 expired sessions.")
    assert [model.objects.get().attempt_time for model in (AccessLog, AccessFailureLog, AccessAttempt)] == [
        T + SECOND
    ] * 3


def test_dry_run_changes_nothing(finished_group):
    member, _ = finished_group

    output = enforce(T + datetime.timedelta(days=DAYS) + SECOND, "--dry-run")

    assert line(output, "member_data").endswith(
        "would remove 1 members' written answers, 1 attendance notes, 1 feedback comments, 1 survey comments, 1 topic descriptions, 0 ticks of whom to ask for advice."
    )
    member.refresh_from_db()
    assert member.hopes == "New ideas for our volunteers."


def test_privacy_page_states_the_enforced_periods(client, db, settings):
    settings.RECRUITMENT_RETENTION = datetime.timedelta(days=91)
    settings.MEMBER_DATA_RETENTION = datetime.timedelta(days=92)
    settings.EXPENSE_RECEIPT_RETENTION = datetime.timedelta(days=93)
    settings.EMAIL_BODY_RETENTION = datetime.timedelta(days=94)
    settings.SIGNIN_LOG_RETENTION = datetime.timedelta(days=95)

    content = client.get(reverse("core:privacy")).content.decode()

    assert "<h1>What we keep, why and for how long</h1>" in content
    for sentence in (
        "every expression of interest, are deleted 91 days after the application deadline",
        "Notes and written comments are removed 92 days after your group's last session",
        "Receipts are deleted 93 days after the claim is paid or rejected",
        "removed 94 days after the email was sent",
        "Deleted 95 days after the attempt",
    ):
        assert sentence in " ".join(content.split()), sentence
    for heading in (
        "Applications and expressions of interest",
        "Your account and profile",
        "Attendance, apologies and feedback",
        "Coffee pairs",
        "Learning entries",
        "Expenses and receipts",
        "Emails we send you",
        "Sign-in records",
        "Backups",
    ):
        assert f">{heading}</h2>" in content, heading


def test_privacy_page_and_enforce_retention_state_how_long_backups_keep_what_was_removed(
    client, db, settings
):
    settings.BACKUP_KEEP_DAILY = 10
    settings.BACKUP_KEEP_WEEKLY = 3

    content = " ".join(client.get(reverse("core:privacy")).content.decode().split())
    output = enforce(T, "--dry-run")

    assert (
        "We keep the copy of each of the last 10 days and one for each of the last 3 weeks, and delete each copy at "
        "most 21 days after it was made. So what you erase, and what is deleted when its period above ends, is gone "
        "from the backups too at most 21 days later."
    ) in content
    assert output.splitlines()[-1] == (
        "backups (at most 21 days after the archive was made): archives made before this run keep what it removed "
        "until pruning deletes them."
    )


def test_privacy_page_is_linked_from_every_page_footer_and_my_data(client, db):
    member = MemberFactory().user
    client.force_login(member)

    for path in (reverse("core:privacy"), reverse("members:my_data")):
        content = client.get(path).content.decode()
        assert f'<a href="{reverse("core:privacy")}">Privacy: what we keep and for how long</a>' in content
    assert (
        f'<a href="{reverse("core:privacy")}">What we keep, why and for how long</a>'
        in client.get(reverse("members:my_data")).content.decode()
    )
