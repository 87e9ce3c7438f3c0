"""Her own wording (issue 20) for the coffee emails: the introduction and the half-way nudge use the programme's
wording with each member's pair filled in, a bad placeholder is refused on save, the preview shows a real member
of a pair, and the batch costs the same queries with wordings as without."""

import pytest
from django.conf import settings
from django.core import mail

from cohort_site.core.dates import SHAPES, local_text
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import emails_queue_many
from pairings.models import PairMember, Round
from pairings.reminders import coffee_introductions, coffee_nudges
from pairings.services import pairs_plan, round_publish
from tests.factories import CohortFactory, MemberFactory, SessionFactory
from tests.wording import word, wording_preview, wording_refused

from .test_reminders import groups_of

PAIRS = settings.SITE_URL + "/coffee/"


@pytest.fixture
def first_round(cohort_with_sessions, members):
    pairs_plan(cohort=cohort_with_sessions)
    return round_publish(round_=Round.objects.get(cohort=cohort_with_sessions, number=1))


def partner_lines(partners):
    return "\n\n".join(f"{p.name}\n  {p.role}, {p.organisation}\n  {p.email}" for p in partners)


def test_the_introduction_uses_the_programmes_wording_for_each_member(
    first_round, django_capture_on_commit_callbacks
):
    programme = first_round.cohort.programme
    word(
        programme,
        EmailKind.COFFEE_INTRODUCTION,
        "{name}, meet {partner_names}",
        "{partners}\n\nTimes: {times}.\nMeet between sessions {after_session} and {before_session}, until "
        "{meet_until}: {pairs_link}",
    )

    with django_capture_on_commit_callbacks(execute=True):
        emails_queue_many(coffee_introductions(first_round.opens_at))

    until = local_text(first_round.closes_at, programme.timezone, SHAPES["day_time"])
    expected = {}
    for group in groups_of(first_round):
        for membership in group:
            partners = [m.member for m in group if m.pk != membership.pk]
            expected[membership.member.email] = (
                f"{membership.member.name}, meet {' and '.join(p.name for p in partners)}",
                f"{partner_lines(partners)}\n\nTimes: Tuesday 10:00–12:00.\nMeet between sessions 1 and 2, until {until}: "
                f"{PAIRS}\n",
            )
    assert {m.to[0]: (m.subject, m.body) for m in mail.outbox} == expected


def test_another_programmes_pairs_keep_the_default_introduction(
    first_round, django_capture_on_commit_callbacks
):
    word(first_round.cohort.programme, EmailKind.COFFEE_INTRODUCTION, "Coffee, {name}", "{partners}")
    cohort = CohortFactory()
    for number in (1, 2):
        SessionFactory(cohort=cohort, number=number)
    MemberFactory(cohort=cohort, name="Gil", email="gil@example.org")
    MemberFactory(cohort=cohort, name="Hal", email="hal@example.org")
    pairs_plan(cohort=cohort)
    theirs = round_publish(round_=Round.objects.get(cohort=cohort, number=1))

    with django_capture_on_commit_callbacks(execute=True):
        emails_queue_many(coffee_introductions(theirs.opens_at))

    assert sorted(
        (m.to[0], m.subject) for m in mail.outbox if m.to[0] in ("gil@example.org", "hal@example.org")
    ) == [
        ("gil@example.org", "Your coffee pair: meet Hal"),
        ("hal@example.org", "Your coffee pair: meet Gil"),
    ]


def test_the_nudge_uses_the_programmes_wording_and_keeps_the_unsubscribe_line(
    first_round, django_capture_on_commit_callbacks
):
    word(
        first_round.cohort.programme,
        EmailKind.COFFEE_NUDGE,
        "Met {partner_names}?",
        "Press We met: {pairs_link}",
    )

    with django_capture_on_commit_callbacks(execute=True):
        emails_queue_many(coffee_nudges(first_round.halfway_at))

    ((ada, partner),) = [
        (m.member, next(p.member for p in group if p.pk != m.pk))
        for group in groups_of(first_round)
        for m in group
        if m.member.name == "Ada"
    ]
    (nudge,) = [m for m in mail.outbox if m.to == [ada.email]]
    assert nudge.subject == f"Met {partner.name}?"
    assert nudge.body.startswith(
        f"Press We met: {PAIRS}\n\n--\nYou are receiving this optional reminder. To stop these, open: http"
    )
    assert len(mail.outbox) == 6


@pytest.mark.parametrize("worded", [False, True])
def test_a_batch_of_introductions_costs_the_same_queries_with_wordings(
    first_round, worded, django_assert_num_queries, django_capture_on_commit_callbacks
):
    if worded:
        word(first_round.cohort.programme, EmailKind.COFFEE_INTRODUCTION, "Coffee", "{partners}")
    due = list(coffee_introductions(first_round.opens_at))

    # keys stored, the programme's wordings, then savepoint, insert, queued ids, release
    with django_assert_num_queries(6), django_capture_on_commit_callbacks(execute=False):
        assert emails_queue_many(due) == 6


def test_an_introduction_without_the_pair_is_refused_with_the_reason(client, first_round):
    errors = wording_refused(
        client,
        first_round.cohort.programme,
        EmailKind.COFFEE_INTRODUCTION,
        subject="Coffee",
        body="Meet {partner_names} at {session}.",
    )

    assert errors == {
        "body": [
            "{session} is not a placeholder this email can use. It can use: {name}, {programme}, {contact_name}, "
            "{contact_email}, {partner_names}, {partners}, {times}, {after_session}, {before_session}, "
            "{meet_until}, {pairs_link}.",
            "This email must give each of their pair: name, role, organisation, email address (and the challenge "
            "they bring, if shared): put {partners} in the text.",
        ]
    }


def test_the_nudge_preview_shows_a_real_member_of_a_pair(client, first_round):
    wording = word(
        first_round.cohort.programme, EmailKind.COFFEE_NUDGE, "Met yet?", "Dear {name}: {partner_names}?"
    )
    membership = PairMember.objects.filter(round=first_round).order_by("pk").first()
    partners = [m.member.name for m in membership.pair.memberships.order_by("pk") if m.pk != membership.pk]

    assert wording_preview(client, wording) == (
        f"<p>As {membership.member.name} would receive it:</p><p><strong>Met yet?</strong></p>"
        f"<pre>Dear {membership.member.name}: {' and '.join(partners)}?</pre>"
    )
