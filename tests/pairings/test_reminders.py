import pytest
from django.core import mail

from cohort_site.mail.dispatch import reminders_dispatch
from cohort_site.mail.models import OutgoingEmail
from pairings.models import PairMember, Round
from pairings.services import pair_mark_met, pairs_plan, round_publish
from sessions_app.enums import SessionStatus
from sessions_app.models import Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_round(cohort_with_sessions, members):
    members[1].challenge = "Keeping volunteers after lockdown."
    members[1].share_challenge_with_partners = True
    members[1].save()
    members[2].challenge = "A private worry."
    members[2].share_challenge_with_partners = False
    members[2].save()
    pairs_plan(cohort=cohort_with_sessions)
    round_ = Round.objects.get(cohort=cohort_with_sessions, number=1)
    return round_publish(round_=round_)


def groups_of(round_):
    by_pair = {}
    for membership in PairMember.objects.filter(round=round_).select_related("member").order_by("pk"):
        by_pair.setdefault(membership.pair_id, []).append(membership)
    return list(by_pair.values())


def test_introduction_goes_to_everyone_in_each_group_once_when_the_round_opens(
    first_round, django_capture_on_commit_callbacks
):
    before_opening = first_round.opens_at.replace(microsecond=0) - first_round.opens_at.resolution
    reminders_dispatch(now=before_opening)
    assert OutgoingEmail.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        reminders_dispatch(now=first_round.opens_at)
        reminders_dispatch(now=first_round.opens_at)

    expected = {}
    for group in groups_of(first_round):
        for membership in group:
            partners = [m.member for m in group if m.pk != membership.pk]
            expected[membership.member.email] = (
                f"Your coffee pair: meet {' and '.join(p.name for p in partners)}"
            )
    assert {m.to[0]: m.subject for m in mail.outbox} == expected
    assert len(mail.outbox) == 6
    body = {m.to[0]: m.body for m in mail.outbox}
    ben, cal = (
        first_round.memberships.get(member__name="Ben").member,
        first_round.memberships.get(member__name="Cal").member,
    )
    ben_partner = next(
        m.member
        for g in groups_of(first_round)
        for m in g
        if ben in [x.member for x in g] and m.member != ben
    )
    assert "The challenge they bring: Keeping volunteers after lockdown." in body[ben_partner.email]
    assert "A private worry" not in "".join(body.values())
    assert f"{ben.role}, {ben.organisation}" in body[ben_partner.email]
    assert "Times you all said suit you: Tuesday 10:00–12:00." in body[ben.email]
    assert (
        cal.email
        in body[
            next(
                m.member
                for g in groups_of(first_round)
                for m in g
                if cal in [x.member for x in g] and m.member != cal
            ).email
        ]
    )


def test_nudge_goes_half_way_only_to_groups_who_have_not_met_once(
    first_round, django_capture_on_commit_callbacks
):
    groups = groups_of(first_round)
    pair_mark_met(membership=groups[0][0])
    reminders_dispatch(now=first_round.halfway_at - first_round.opens_at.resolution * 1000)
    assert OutgoingEmail.objects.filter(kind="coffee-nudge").count() == 0

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_dispatch(now=first_round.halfway_at)
        reminders_dispatch(now=first_round.halfway_at)

    nudged = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Half-way"))
    assert nudged == sorted(m.member.email for g in groups[1:] for m in g)
    nudge = next(m for m in mail.outbox if m.subject.startswith("Half-way"))
    assert "To stop these, open:" in nudge.body
    assert nudge.extra_headers["List-Unsubscribe"].startswith("<http")


def test_nothing_is_sent_for_a_planned_round_or_after_it_closes(cohort_with_sessions, members):
    pairs_plan(cohort=cohort_with_sessions)
    round_ = Round.objects.get(cohort=cohort_with_sessions, number=1)
    reminders_dispatch(now=round_.halfway_at)
    round_publish(round_=round_)
    reminders_dispatch(now=round_.closes_at)
    assert OutgoingEmail.objects.count() == 0


def test_introduction_quotes_an_excerpt_of_a_long_challenge(
    cohort_with_sessions, members, django_capture_on_commit_callbacks
):
    members[1].challenge = "z" * 3000
    members[1].share_challenge_with_partners = True
    members[1].save()
    pairs_plan(cohort=cohort_with_sessions)
    round_ = round_publish(round_=Round.objects.get(cohort=cohort_with_sessions, number=1))

    with django_capture_on_commit_callbacks(execute=True):
        reminders_dispatch(now=round_.opens_at)

    mine = PairMember.objects.get(round=round_, member=members[1])
    partners = PairMember.objects.filter(round=round_, pair_id=mine.pair_id).exclude(pk=mine.pk)
    excerpt = f"The challenge they bring: {'z' * 299}…\n"
    assert sorted(m.to[0] for m in mail.outbox if excerpt in m.body) == sorted(
        partners.values_list("member__email", flat=True)
    )
    assert "z" * 300 not in "".join(m.body for m in mail.outbox)


def test_introduction_names_the_sessions_either_side_of_a_cancelled_one(
    cohort_with_sessions, members, django_capture_on_commit_callbacks
):
    Session.objects.filter(cohort=cohort_with_sessions, number=5).update(status=SessionStatus.CANCELLED)
    pairs_plan(cohort=cohort_with_sessions)
    last = round_publish(round_=Round.objects.get(cohort=cohort_with_sessions, number=4))

    with django_capture_on_commit_callbacks(execute=True):
        reminders_dispatch(now=last.opens_at)

    body = mail.outbox[0].body
    assert body.count("Between sessions 4 and 6 of ") == 1
    assert body.count(" until session 6 on ") == 1
