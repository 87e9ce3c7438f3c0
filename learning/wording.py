"""A programme's own wording of the learning emails (issue 20): the placeholders the session feedback request,
the survey invitation and their reminders know, and a preview with a real member (registered with applications'
`wording_register`; the check on save and the sending are there)."""

from django.conf import settings
from django.urls import reverse

from applications.models import Application
from applications.selectors import active_member_place
from applications.wording import Placeholder, about, wording_register
from cohort_site.core.dates import DAY, local_text
from cohort_site.mail.enums import EmailKind
from sessions_app.enums import AttendanceStatus
from sessions_app.models import Attendance

from .models import Survey

MEMBER = about("the member's name", lambda c: c["name"])
LINK = Placeholder(
    "link",
    "the link to answer (it asks them to sign in)",
    lambda c: settings.SITE_URL + c["url"],
    required=True,
)
FEEDBACK = [
    *MEMBER,
    Placeholder("session_number", "the session's number", lambda c: c["session"].number),
    Placeholder("session_day", "the day of the session", lambda c: c["session_day"]),
    Placeholder("topic", "the session's topic, when it has one", lambda c: c["session"].topic),
    LINK,
]
SURVEY = [
    *MEMBER,
    Placeholder("survey", "the check-in or evaluation's title", lambda c: c["survey"].title),
    Placeholder("survey_intro", "its introduction, as written on the survey", lambda c: c["survey"].intro),
    LINK,
]


def _feedback_preview(programme) -> tuple[str, dict] | None:
    """The latest session of the programme someone was recorded at, and that member."""
    attendance = (
        Attendance.objects.filter(
            active_member_place(via="member__"),
            status=AttendanceStatus.ATTENDED,
            session__cohort__programme=programme,
        )
        .select_related("session", "member")
        .order_by("-session__ends_at", "pk")
        .first()
    )
    if attendance is None:
        return None
    session = attendance.session
    return attendance.member.name, {
        "name": attendance.member.name,
        "session": session,
        "session_day": local_text(session.starts_at, programme.tz, DAY),
        "programme": programme,
        "url": reverse("learning:session_feedback", kwargs={"session_id": session.pk}),
    }


def _survey_preview(programme) -> tuple[str, dict] | None:
    """The programme's first survey and its latest member."""
    survey = Survey.objects.filter(programme=programme).order_by("pk").first()
    member = (
        Application.objects.filter(active_member_place(), programme=programme)
        .order_by("-submitted_at")
        .first()
    )
    if survey is None or member is None:
        return None
    return member.name, {
        "name": member.name,
        "survey": survey,
        "programme": programme,
        "url": survey.get_absolute_url(),
    }


for _kind in (EmailKind.LEARNING_SESSION_FEEDBACK, EmailKind.LEARNING_SESSION_FEEDBACK_REMINDER):
    wording_register(_kind, placeholders=FEEDBACK, preview=_feedback_preview)
for _kind in (EmailKind.LEARNING_SURVEY, EmailKind.LEARNING_SURVEY_REMINDER):
    wording_register(_kind, placeholders=SURVEY, preview=_survey_preview)
