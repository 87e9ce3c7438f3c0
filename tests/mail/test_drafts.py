"""A draft brought up to date as it is sent (mail/drafts.py): the hook of its kind rewrites it inside the
transaction that queues it, once, and what only the recipient may read stays out of the stored text."""

import pytest

from cohort_site.mail import drafts
from cohort_site.mail.drafts import DraftSent, Redraft, before_draft_sent
from cohort_site.mail.enums import EmailKind, EmailStatus, SkipReason
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import email_store, emails_send_drafts
from tests.mail.conftest import publishes

KIND = EmailKind.DECISION_WAITLISTED  # a kind no app rewrites


@pytest.fixture
def rewrites():
    """A hook for KIND that records what it was given and rewrites the subject; removed afterwards."""
    calls: list[tuple[list[DraftSent], object]] = []

    @before_draft_sent(KIND)
    def hook(sent, now):
        calls.append((sent, now))
        return {d.email_id: Redraft(subject=f"Sent at {now:%H:%M}: code ABC-123", context={}) for d in sent}

    yield calls
    del drafts._DRAFT_HOOKS[KIND]


def draft(key: str) -> OutgoingEmail:
    return email_store(
        key=key,
        kind=KIND,
        to="sam@example.org",
        subject="Old",
        body_text="Old text",
        draft=True,
        secrets={"sign-in code": "ABC-123"},
    )


def test_a_hook_rewrites_its_drafts_once_as_they_are_sent(db, rewrites, django_capture_on_commit_callbacks):
    first, second = draft("a"), draft("b")
    now = first.created_at.replace(hour=9, minute=30)

    with django_capture_on_commit_callbacks(execute=False):
        queued = emails_send_drafts(email_ids=[first.pk, second.pk], now=now)
        again = emails_send_drafts(email_ids=[first.pk, second.pk], now=now)

    first.refresh_from_db()
    assert (queued, again) == (2, 0)
    assert [[d.key for d in sent] for sent, _ in rewrites] == [["a", "b"]]
    assert (first.status, first.subject) == (
        EmailStatus.QUEUED,
        "Sent at 09:30: code [sign-in code: sent only to the recipient]",
    )
    assert first.body_text.startswith("Dear ")


def test_drafts_of_other_kinds_are_sent_as_they_are(db, rewrites, django_capture_on_commit_callbacks):
    other = email_store(
        key="c", kind=EmailKind.PLACE_FREED, to="zoe@example.org", subject="Old", body_text="x", draft=True
    )

    with django_capture_on_commit_callbacks(execute=False):
        emails_send_drafts(email_ids=[other.pk])

    other.refresh_from_db()
    assert (other.status, other.subject, other.body_text, rewrites) == (EmailStatus.QUEUED, "Old", "x", [])


def test_a_draft_its_app_finds_out_of_date_is_skipped_not_sent(db, django_capture_on_commit_callbacks):
    stale, fresh = draft("stale"), draft("fresh")

    @before_draft_sent(KIND)
    def hook(sent, now):
        return {d.email_id: None if d.key == "stale" else Redraft(subject="Fresh", context={}) for d in sent}

    try:
        with django_capture_on_commit_callbacks(execute=False) as published:
            queued = emails_send_drafts(email_ids=[stale.pk, fresh.pk])
    finally:
        del drafts._DRAFT_HOOKS[KIND]

    rows = dict(OutgoingEmail.objects.values_list("key", "status"))
    assert (queued, len(publishes(published))) == (1, 1)
    assert rows == {"stale": EmailStatus.SKIPPED, "fresh": EmailStatus.QUEUED}
    assert OutgoingEmail.objects.get(key="stale").skip_reason == SkipReason.OUT_OF_DATE
