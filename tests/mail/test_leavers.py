"""Skipping what still waits for a member who left: only drafts and queued messages, only the kinds asked for."""

import pytest

from cohort_site.mail.enums import EmailKind, EmailStatus, SkipReason
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import email_store, emails_set_status, emails_skip_for_leaver, emails_skip_keys
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def stored(key: str, kind: EmailKind, to: str, **fields) -> OutgoingEmail:
    return email_store(key=key, kind=kind, to=to, subject="A subject", body_text="A text", **fields)


def outcome() -> dict[str, tuple[str, str]]:
    return {
        key: (status, reason)
        for key, status, reason in OutgoingEmail.objects.values_list("key", "status", "skip_reason")
    }


def test_skip_for_leaver_skips_waiting_messages_of_the_kinds_by_address_or_account():
    user = UserFactory(email="ada@example.org")
    stored("reminder", EmailKind.SESSION_REMINDER, "ADA@example.org")
    stored("draft", EmailKind.COFFEE_NUDGE, "ada@example.org", draft=True)
    stored("by-account", EmailKind.LEARNING_SURVEY, "old-address@example.org", user=user)
    stored("other-kind", EmailKind.EXPENSE_PAID, "ada@example.org")
    stored("someone-else", EmailKind.SESSION_REMINDER, "ben@example.org")
    sending = stored("sending", EmailKind.SESSION_REMINDER, "ada@example.org")
    emails_set_status(emails=[sending.pk], status=EmailStatus.SENDING)

    skipped = emails_skip_for_leaver(
        to="ada@example.org",
        user=user,
        kinds=[EmailKind.SESSION_REMINDER, EmailKind.COFFEE_NUDGE, EmailKind.LEARNING_SURVEY],
    )

    left = (EmailStatus.SKIPPED, SkipReason.LEFT_GROUP)
    assert len(skipped) == 3
    assert outcome() == {
        "reminder": left,
        "draft": left,
        "by-account": left,
        "other-kind": (EmailStatus.QUEUED, ""),
        "someone-else": (EmailStatus.QUEUED, ""),
        "sending": (EmailStatus.SENDING, ""),
    }


def test_skip_keys_skips_only_those_still_waiting():
    stored("coffee-introduction:1:2", EmailKind.COFFEE_INTRODUCTION, "ben@example.org")
    sent = stored("coffee-introduction:1:3", EmailKind.COFFEE_INTRODUCTION, "cal@example.org")
    emails_set_status(emails=[sent.pk], status=EmailStatus.SENDING)
    emails_set_status(emails=[sent.pk], status=EmailStatus.SENT)

    emails_skip_keys(keys=["coffee-introduction:1:2", "coffee-introduction:1:3", "no-such-key"])

    assert outcome() == {
        "coffee-introduction:1:2": (EmailStatus.SKIPPED, SkipReason.LEFT_GROUP),
        "coffee-introduction:1:3": (EmailStatus.SENT, ""),
    }


def test_a_skipped_message_says_the_member_left_in_the_outbox():
    email = stored("reminder", EmailKind.SESSION_REMINDER, "ada@example.org")
    emails_skip_for_leaver(to="ada@example.org", kinds=[EmailKind.SESSION_REMINDER])

    email.refresh_from_db()
    assert email.status_label == "Not sent: the member left the group"
