"""A programme's own wording of its decision emails (issue 20): the placeholders each kind may use, the check
made when the wording is saved, and the source the mail app asks as it renders an email (mail/wording.py).

Placeholders are written in braces, {name}; each is one value the email's own template has, so a wording can
say anything the default text says and nothing else (no template code is run from what the manager typed).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from cohort_site.core.dates import date_text
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.wording import wording_source

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Placeholder:
    name: str
    means: str
    value: Callable[[dict], str]
    required: bool = False


def _cohort(context: dict, attribute: str) -> str:
    cohort = context.get("cohort")
    return str(getattr(cohort, attribute)) if cohort is not None else ""


COMMON = [
    Placeholder("name", "the applicant's name", lambda c: c["application"].name),
    Placeholder("programme", "the programme's title", lambda c: c["programme"].title),
    Placeholder("contact_name", "the programme's contact", lambda c: c["programme"].contact_name),
    Placeholder("contact_email", "the contact's email address", lambda c: c["programme"].contact_email),
]
GROUP = [
    Placeholder("group", "the group's name", lambda c: _cohort(c, "name")),
    Placeholder(
        "first_session_week", "the week of the group's first session", lambda c: c["first_session_week"]
    ),
]
DEADLINE_AND_LINK = [
    Placeholder("deadline", "the date and time to answer by", lambda c: c["deadline"], required=True),
    Placeholder("link", "the link to confirm or turn down the place", lambda c: c["link"], required=True),
]
# One list for each kind in enums.WORDED_EMAILS.
PLACEHOLDERS: dict[EmailKind, list[Placeholder]] = {
    EmailKind.DECISION_OFFERED: [
        *COMMON,
        *GROUP,
        Placeholder("weekly_time", "the group's weekly time, when it is known", lambda c: c["weekly_time"]),
        *DEADLINE_AND_LINK,
    ],
    EmailKind.OFFER_REMINDER: [
        *COMMON,
        Placeholder("group", "the group's name", lambda c: _cohort(c, "name")),
        *DEADLINE_AND_LINK,
    ],
    EmailKind.DECISION_WAITLISTED: COMMON,
    EmailKind.DECISION_DECLINED: [
        *COMMON,
        Placeholder(
            "next_group_link",
            "the one-click link to be considered for the next group",
            lambda c: c["next_group_link"],
        ),
    ],
    EmailKind.DECISION_CONFIRMED: [
        *COMMON,
        *GROUP,
        Placeholder("sign_in_link", "the link to sign in", lambda c: c["sign_in_url"], required=True),
    ],
    EmailKind.DECISION_WITHDRAWN: COMMON,
    EmailKind.DECISION_OFFER_EXPIRED: COMMON,
}


def placeholders_text(kind: str) -> str:
    """'{name}: the applicant's name; …', for the form's help."""
    return "; ".join(f"{{{p.name}}}: {p.means}" for p in PLACEHOLDERS[EmailKind(kind)])


def wording_errors(kind: str, text: str, *, check_required: bool) -> list[str]:
    """Why a subject or text cannot be saved as `kind`'s wording: placeholders it may not use, braces that do not
    pair, and (for the text) the placeholders an email of the kind must carry."""
    allowed = {p.name: p for p in PLACEHOLDERS[EmailKind(kind)]}
    errors = []
    for name in PLACEHOLDER.findall(text):
        if name not in allowed:
            errors.append(
                f"{{{name}}} is not a placeholder this email can use. It can use: "
                + ", ".join(f"{{{n}}}" for n in allowed)
                + "."
            )
    if "{" in PLACEHOLDER.sub("", text) or "}" in PLACEHOLDER.sub("", text):
        errors.append("A brace is not paired: write a placeholder as a name in braces, such as {name}.")
    if check_required:
        for placeholder in allowed.values():
            if placeholder.required and f"{{{placeholder.name}}}" not in text:
                errors.append(
                    f"This email must give {placeholder.means}: put {{{placeholder.name}}} in the text."
                )
    return errors


def wording_fill(kind: str, text: str, context: dict) -> str:
    """The wording with each placeholder replaced by its value for this email. One its kind does not have (saved
    some other way than the checked form) is left as written rather than stopping the decision it goes with."""
    values = {p.name: p.value for p in PLACEHOLDERS[EmailKind(kind)]}

    def value(match: re.Match) -> str:
        found = values.get(match.group(1))
        return match.group(0) if found is None else str(found(context))

    return PLACEHOLDER.sub(value, text)


@wording_source
def programme_wording(kind: EmailKind, context: dict) -> tuple[str, str] | None:
    """The programme's own wording of a decision email, filled in for this applicant; None for the default."""
    programme = context.get("programme")
    if kind not in PLACEHOLDERS or programme is None or "application" not in context:
        return None
    from .models import EmailWording

    wording = EmailWording.objects.filter(programme=programme, kind=kind).first()
    if wording is None:
        return None
    return wording_fill(kind, wording.subject, context), wording_fill(kind, wording.body, context)


def preview_context(application) -> dict:
    """A real applicant's values for a preview: their name, programme and group; links and dates they would be
    sent are shown as what they stand for (they are made when the email is)."""
    programme = application.programme
    cohort = application.cohort
    return {
        "application": application,
        "programme": programme,
        "cohort": cohort,
        "first_session_week": date_text(cohort.first_session_week) if cohort else "",
        "weekly_time": "",
        "deadline": "[the date to answer by, worked out when the offer is sent]",
        "link": "[their own link to answer the offer]",
        "next_group_link": "[their own link to ask for the next group]",
        "sign_in_url": settings.SITE_URL + "/accounts/login/",
    }
