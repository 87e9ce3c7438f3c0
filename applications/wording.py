"""A programme's own wording of its emails (issue 20): the placeholders each kind may use, the check made when
the wording is saved, the preview with a real person, and the source the mail app asks as it renders an email
(mail/wording.py).

Each app registers its own kinds here with `wording_register` (in its wording.py: sessions_app, pairings and
learning sit above applications): the placeholders the email really knows and how to preview it. A batch of
emails (the reminders) reads each programme's wordings once (`batch_memo`), not once per email.

Placeholders are written in braces, {name}; each is one value the email's own template has, so a wording can
say anything the default text says and nothing else (no template code is run from what the manager typed).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.conf import settings
from django.template.loader import render_to_string

from cohort_site.core.dates import date_text
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.wording import batch_memo, wording_source

from .enums import DECISION_EMAILS

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


def part(template: str) -> Callable[[dict], str]:
    """A placeholder's value that is a piece of the default text (templates/emails/_<template>.txt), so a
    wording says a session's or a drop-in's details exactly as the default does."""
    return lambda context: render_to_string(f"emails/_{template}.txt", context).strip()


def about(name_means: str, name: Callable[[dict], str]) -> list[Placeholder]:
    """The placeholders every email of the programme has: the person's name, the programme and its contact."""
    return [
        Placeholder("name", name_means, name),
        Placeholder("programme", "the programme's title", lambda c: c["programme"].title),
        Placeholder("contact_name", "the programme's contact", lambda c: c["programme"].contact_name),
        Placeholder("contact_email", "the contact's email address", lambda c: c["programme"].contact_email),
    ]


COMMON = about("the applicant's name", lambda c: c["application"].name)
INTEREST = about("the person's name", lambda c: c["interest"].name)
DEADLINE = Placeholder("deadline", "the date and time applications close", lambda c: c["deadline"])
APPLY_LINK = Placeholder("apply_link", "the link to the application form", lambda c: c["apply_url"])
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
# A list for each kind in enums.WORDED_EMAILS: recruitment's here, the others' from their apps' wording.py.
PLACEHOLDERS: dict[EmailKind, list[Placeholder]] = {
    EmailKind.INTEREST_CONFIRMATION: [
        *INTEREST,
        DEADLINE,
        APPLY_LINK,
        Placeholder("programme_link", "the link to the programme's page", lambda c: c["programme_url"]),
        Placeholder(
            "drop_ins",
            "the coming drop-ins' times and join links (empty when none is planned)",
            lambda c: "\n\n".join(part("drop_in")({**c, "drop_in": d}) for d in c["drop_ins"]),
        ),
    ],
    EmailKind.INTEREST_AGAIN: [
        *INTEREST,
        DEADLINE,
        APPLY_LINK,
        Placeholder("programme_link", "the link to the programme's page", lambda c: c["programme_url"]),
    ],
    EmailKind.DROP_IN_REMINDER: [
        *INTEREST,
        DEADLINE,
        Placeholder("drop_in", "the drop-in's time, host and join link", part("drop_in"), required=True),
    ],
    EmailKind.APPLY_REMINDER: [*INTEREST, DEADLINE, replace(APPLY_LINK, required=True)],
    **{
        kind: [
            *COMMON,
            DEADLINE,
            Placeholder(
                "private_link",
                "the applicant's own link to see and change their application",
                lambda c: c["private_url"],
            ),
        ]
        for kind in (
            EmailKind.APPLICATION_RECEIVED,
            EmailKind.APPLICATION_UPDATED,
            EmailKind.APPLICATION_AGAIN,
        )
    },
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


# How to preview each kind: given a programme, a real person of it this kind is sent to, as (their name, the
# email's context), or None when there is no one yet.
Preview = Callable[[object], "tuple[str, dict] | None"]
PREVIEWS: dict[EmailKind, Preview] = {}


def wording_register(kind: EmailKind, *, placeholders: list[Placeholder], preview: Preview) -> None:
    """An app says what its kind of email may be worded with, and how to preview it with a real person."""
    PLACEHOLDERS[kind] = placeholders
    PREVIEWS[kind] = preview


def _programme_wording_text(programme, kind: EmailKind) -> tuple[str, str] | None:
    """The programme's subject and text for `kind`: read for this one email, or once per programme in a batch."""
    from .models import EmailWording

    memo = batch_memo()
    if memo is None:
        return (
            EmailWording.objects.filter(programme=programme, kind=kind).values_list("subject", "body").first()
        )
    key = ("programme-wordings", programme.pk)
    if key not in memo:
        memo[key] = {
            kind: (subject, body)
            for kind, subject, body in EmailWording.objects.filter(programme=programme).values_list(
                "kind", "subject", "body"
            )
        }
    return memo[key].get(kind)


def _filled(kind: EmailKind, subject: str, body: str, context: dict) -> tuple[str, str]:
    """The wording filled in; an optional kind keeps its unsubscribe line (it is not the manager's to drop)."""
    text = wording_fill(kind, body, context).strip()
    if kind.optional and context.get("unsubscribe_url"):
        text += "\n" + render_to_string("emails/_unsubscribe_footer.txt", context).rstrip()
    return wording_fill(kind, subject, context), text


@wording_source
def programme_wording(kind: EmailKind, context: dict) -> tuple[str, str] | None:
    """The programme's own wording of an email, filled in for this person; None for the default."""
    programme = context.get("programme")
    if kind not in PLACEHOLDERS or programme is None:
        return None
    found = _programme_wording_text(programme, kind)
    if found is None:
        return None
    return _filled(kind, *found, context)


def wording_preview(wording) -> tuple[str, str, str] | None:
    """A wording as one real person of its programme would be sent it: (their name, subject, text), or None when
    the programme has no one this kind is sent to yet."""
    kind = EmailKind(wording.kind)
    found = PREVIEWS[kind](wording.programme) if kind in PREVIEWS else None
    if found is None:
        return None
    name, context = found
    context = {"SITE_URL": settings.SITE_URL, **context}
    subject, text = _filled(kind, wording.subject, wording.body, context)
    return name, subject, text


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


def _latest_application(programme):
    return programme.applications.select_related("cohort", "programme").order_by("-submitted_at").first()


def _decision_preview(programme) -> tuple[str, dict] | None:
    application = _latest_application(programme)
    return None if application is None else (application.name, preview_context(application))


def _application_preview(programme) -> tuple[str, dict] | None:
    from .services.recruitment import email_context

    application = _latest_application(programme)
    if application is None:
        return None
    context = email_context(
        programme, application=application, private_url="[their own link to see and change the application]"
    )
    return application.name, context


def _interest_preview(programme) -> tuple[str, dict] | None:
    from .selectors import drop_ins_upcoming
    from .services.recruitment import email_context, interest_links

    interest = programme.interests.order_by("-created_at").first()
    if interest is None:
        return None
    drop_ins = list(drop_ins_upcoming(programme).select_related("programme"))
    drop_in = drop_ins[0] if drop_ins else programme.drop_ins.order_by("-starts_at").first()
    context = email_context(
        programme, interest=interest, drop_ins=drop_ins, drop_in=drop_in, **interest_links(programme)
    )
    return interest.name, context


def _drop_in_preview(programme) -> tuple[str, dict] | None:
    found = _interest_preview(programme)
    return found if found is not None and found[1]["drop_in"] is not None else None


PREVIEWS.update(
    {
        EmailKind.INTEREST_CONFIRMATION: _interest_preview,
        EmailKind.INTEREST_AGAIN: _interest_preview,
        EmailKind.APPLY_REMINDER: _interest_preview,
        EmailKind.DROP_IN_REMINDER: _drop_in_preview,
        EmailKind.APPLICATION_RECEIVED: _application_preview,
        EmailKind.APPLICATION_UPDATED: _application_preview,
        EmailKind.APPLICATION_AGAIN: _application_preview,
        **dict.fromkeys((*DECISION_EMAILS.values(), EmailKind.OFFER_REMINDER), _decision_preview),
    }
)
