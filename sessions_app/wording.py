"""A programme's own wording of the schedule's emails (issue 20): the placeholders the session invitation,
update and reminder know, and a preview with a real member of the programme (registered with applications'
`wording_register`; the check on save and the sending are there)."""

from dataclasses import replace

from django.conf import settings
from django.urls import reverse

from applications.selectors import cohort_members
from applications.wording import Placeholder, about, part, wording_register
from cohort_site.mail.enums import EmailKind

from .enums import SessionStatus
from .models import Session
from .services import _member_recipient

# What a session update says changed, as the default text says it.
CHANGES = {
    "moved": "A session has moved to a new time.",
    "added": "A session has been added.",
}


def _sessions(context: dict) -> str:
    """Every session of the invitation, each as the default text lists it."""
    return "\n\n".join(part("session_lines")({**context, "session": s}) for s in context["sessions"])


def _schedule_link(context: dict) -> str:
    return settings.SITE_URL + reverse("sessions:my_schedule")


MEMBER = about("the member's name", lambda c: c["recipient"].name)
SCHEDULE_LINK = Placeholder(
    "schedule_link", "the link to their schedule (join links, apologies, calendar feed)", _schedule_link
)
SESSION = Placeholder(
    "session",
    "the session's title, day and time (in their time zone), join link and venue",
    part("session_lines"),
)
TOPIC = Placeholder("topic", "the session's topic, when it has one", lambda c: c["session"].topic)

PLACEHOLDERS = {
    EmailKind.SESSION_INVITE: [
        *MEMBER,
        Placeholder("group", "the group's name", lambda c: c["cohort"].name),
        Placeholder(
            "sessions", "every session's title, day and time, join link and venue", _sessions, required=True
        ),
        Placeholder(
            "join_link",
            "the join link, when it is the same for every session",
            lambda c: c["shared_join_url"],
        ),
        SCHEDULE_LINK,
    ],
    EmailKind.SESSION_UPDATE: [
        *MEMBER,
        Placeholder(
            "what_changed",
            "what changed, in a sentence (moved, added or its details changed)",
            lambda c: CHANGES.get(c.get("change", ""), "The details of a session have changed."),
        ),
        replace(SESSION, required=True),
        TOPIC,
        SCHEDULE_LINK,
    ],
    EmailKind.SESSION_REMINDER: [*MEMBER, SESSION, TOPIC, SCHEDULE_LINK],
}


def _preview(programme) -> tuple[str, dict] | None:
    """The programme's next scheduled session (else its latest) and the first member of its group."""
    sessions = Session.objects.filter(
        cohort__programme=programme, status=SessionStatus.SCHEDULED
    ).select_related("cohort__programme")
    session = sessions.order_by("starts_at").first()
    if session is None:
        return None
    member = cohort_members(session.cohort).select_related("cohort__programme", "user").first()
    if member is None:
        return None
    recipient = _member_recipient(member)
    group_sessions = list(sessions.filter(cohort=session.cohort).order_by("number"))
    join_urls = {s.join_url for s in group_sessions}
    context = {
        "programme": programme,
        "cohort": session.cohort,
        "session": session,
        "sessions": group_sessions,
        "shared_join_url": join_urls.pop() if len(join_urls) == 1 else "",
        "recipient": recipient,
        "tz": recipient.tz,
        "change": "moved",
    }
    return recipient.name, context


for _kind, _placeholders in PLACEHOLDERS.items():
    wording_register(_kind, placeholders=_placeholders, preview=_preview)
