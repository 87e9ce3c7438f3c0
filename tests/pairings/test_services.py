import datetime

import pytest
from django.core.exceptions import ValidationError

from applications.enums import ApplicationStatus
from pairings.enums import RoundStatus
from pairings.models import PairMember, Round
from pairings.selectors import catch_up_windows_for, plan_summary
from pairings.services import (
    pair_mark_met,
    pairs_plan,
    pairs_swap,
    round_publish,
    round_skip,
    rounds_sync,
)
from sessions_app.enums import SessionStatus
from sessions_app.models import Session
from tests.factories import MemberFactory, SessionFactory

pytestmark = pytest.mark.django_db
EVERYONE = ["Ada", "Ben", "Cal", "Dee", "Eve", "Fay"]


def groups(round_):
    by_pair = {}
    for pair_id, name in PairMember.objects.filter(round=round_).values_list("pair_id", "member__name"):
        by_pair.setdefault(pair_id, []).append(name)
    return sorted(tuple(sorted(names)) for names in by_pair.values())


def test_rounds_sync_makes_one_round_per_gap_between_sessions(cohort_with_sessions):
    rounds = rounds_sync(cohort=cohort_with_sessions)
    sessions = list(Session.objects.filter(cohort=cohort_with_sessions).order_by("number"))
    assert [(r.number, r.after_session, r.before_session, r.opens_at, r.closes_at) for r in rounds] == [
        (n, n, n + 1, sessions[n - 1].ends_at, sessions[n].starts_at) for n in range(1, 6)
    ]


def test_a_cancelled_session_leaves_no_missing_round_number(cohort_with_sessions):
    rounds_sync(cohort=cohort_with_sessions)
    Session.objects.filter(cohort=cohort_with_sessions, number=5).update(status=SessionStatus.CANCELLED)

    rounds = rounds_sync(cohort=cohort_with_sessions)

    assert [(r.number, r.after_session, r.before_session) for r in rounds] == [
        (1, 1, 2),
        (2, 2, 3),
        (3, 3, 4),
        (4, 4, 6),
    ]


def test_a_session_added_after_a_cancelled_one_is_the_next_round(cohort_with_sessions):
    Session.objects.filter(cohort=cohort_with_sessions, number=3).update(status=SessionStatus.CANCELLED)
    last = Session.objects.get(cohort=cohort_with_sessions, number=6)
    SessionFactory(
        cohort=cohort_with_sessions,
        number=7,
        starts_at=last.starts_at + datetime.timedelta(days=7),
        ends_at=last.ends_at + datetime.timedelta(days=7),
    )

    rounds = rounds_sync(cohort=cohort_with_sessions)

    assert [(r.number, r.after_session, r.before_session) for r in rounds] == [
        (1, 1, 2),
        (2, 2, 4),
        (3, 4, 5),
        (4, 5, 6),
        (5, 6, 7),
    ]


def test_pairs_plan_covers_everyone_each_round_with_no_repeats(cohort_with_sessions, members):
    pairs_plan(cohort=cohort_with_sessions)
    summaries = plan_summary(cohort_with_sessions)
    assert [
        (s.round.number, s.repeats, s.same_organisation, [len(g) for g in s.groups]) for s in summaries
    ] == [(n, 0, 0, [2, 2, 2]) for n in range(1, 6)]
    assert [sorted(name for g in groups(s.round) for name in g) for s in summaries] == [EVERYONE] * 5


def test_replanning_after_a_withdrawal_keeps_published_rounds_identical(cohort_with_sessions, members):
    extra = MemberFactory(cohort=cohort_with_sessions, name="Gus", organisation="Gus Trust")
    pairs_plan(cohort=cohort_with_sessions)
    first, second = Round.objects.filter(cohort=cohort_with_sessions).order_by("number")[:2]
    round_publish(round_=first)
    announced = groups(first)
    extra.status = (
        ApplicationStatus.WITHDRAWN
    )  # the status service is another helper's; a fact is enough here
    extra.save(update_fields=["status"])

    pairs_plan(cohort=cohort_with_sessions)

    assert groups(first) == announced
    assert "Gus" not in {name for g in groups(second) for name in g}
    assert sorted(name for g in groups(second) for name in g) == EVERYONE
    # Not asserted: "round 2 repeats nothing from round 1". Round 1 had a trio of seven; six people over five
    # rounds then cannot avoid every repeat, and where the planner puts the unavoidable one depends on ids.
    # What is guaranteed: one group each, no pair twice within the round, at most one trio.
    second_groups = groups(second)
    assert sorted(len(g) for g in second_groups) == [2, 2, 2]


def test_round_skip_replans_around_the_member(cohort_with_sessions, members):
    pairs_plan(cohort=cohort_with_sessions)
    first = Round.objects.get(cohort=cohort_with_sessions, number=1)
    round_skip(member=members[0], round_=first)
    assert sorted(name for g in groups(first) for name in g) == EVERYONE[1:]
    round_publish(round_=first)
    with pytest.raises(ValidationError):
        round_skip(member=members[1], round_=first)


def test_pairs_swap_exchanges_two_people_and_refuses_once_published(cohort_with_sessions, members):
    pairs_plan(cohort=cohort_with_sessions)
    first = Round.objects.get(cohort=cohort_with_sessions, number=1)
    ada_pair = PairMember.objects.get(round=first, member=members[0]).pair_id
    other = PairMember.objects.filter(round=first).exclude(pair_id=ada_pair).select_related("member").first()
    pairs_swap(round_=first, first=members[0], second=other.member)
    assert PairMember.objects.get(round=first, member=members[0]).pair_id == other.pair_id
    assert PairMember.objects.get(round=first, member=other.member).pair_id == ada_pair
    round_publish(round_=first)
    with pytest.raises(ValidationError, match="published"):
        pairs_swap(round_=first, first=members[0], second=other.member)


def test_round_publish_is_the_only_status_writer_and_is_idempotent(cohort_with_sessions, members):
    first = rounds_sync(cohort=cohort_with_sessions)[0]
    with pytest.raises(ValidationError, match="Plan the pairs"):
        round_publish(round_=first)
    pairs_plan(cohort=cohort_with_sessions)
    at = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    published = round_publish(round_=first, now=at)
    again = round_publish(round_=first, now=at + datetime.timedelta(days=1))
    assert (published.status, published.published_at, again.published_at) == (RoundStatus.PUBLISHED, at, at)


def test_pair_mark_met_keeps_the_first_time(cohort_with_sessions, members):
    pairs_plan(cohort=cohort_with_sessions)
    membership = PairMember.objects.filter(round__number=1).first()
    at = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    pair_mark_met(membership=membership, now=at)
    pair_mark_met(membership=membership, now=at + datetime.timedelta(hours=1))
    assert PairMember.objects.get(pk=membership.pk).met_at == at


def test_catch_up_windows_for_lists_published_rounds_with_partner_names(cohort_with_sessions, members):
    pairs_plan(cohort=cohort_with_sessions)
    first = Round.objects.get(cohort=cohort_with_sessions, number=1)
    round_publish(round_=first)
    ada = members[0]
    partners = sorted(name for g in groups(first) if "Ada" in g for name in g if name != "Ada")
    windows = catch_up_windows_for(ada.user)
    assert [(w.round.pk, w.opens_at, w.closes_at, sorted(w.partner_names)) for w in windows] == [
        (first.pk, first.opens_at, first.closes_at, partners)
    ]
