"""pairs_member_leave: who is re-paired with whom when a member leaves, and which emails that makes."""

import datetime

import pytest

from applications.enums import ApplicationStatus
from cohort_site.mail.dispatch import reminders_dispatch
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.models import OutgoingEmail
from pairings.enums import RoundStatus
from pairings.models import Pair, PairMember, Round, SkipRequest
from pairings.services import pairs_member_leave, pairs_plan, round_publish, rounds_sync
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def groups(round_) -> list[tuple[str, ...]]:
    by_pair: dict[int, list[str]] = {}
    for pair_id, name in PairMember.objects.filter(round=round_).values_list("pair_id", "member__name"):
        by_pair.setdefault(pair_id, []).append(name)
    return sorted(tuple(sorted(names)) for names in by_pair.values())


def set_groups(round_, *names_groups, members):
    """Lay a round out by hand: the planner's choice is not what these tests are about."""
    Pair.objects.filter(round=round_).delete()
    for names in names_groups:
        pair = Pair.objects.create(round=round_)
        for name in names:
            PairMember.objects.create(pair=pair, round=round_, member=members[name])
    round_.status = RoundStatus.PUBLISHED
    round_.save(update_fields=["status"])


def leave(member, *, now):
    """The member's place is withdrawn first (member_leave does this through the state machine)."""
    cohort = member.cohort
    member.status = ApplicationStatus.WITHDRAWN
    member.cohort = None
    member.save(update_fields=["status", "cohort"])
    pairs_member_leave(member=member, cohort=cohort, now=now)


@pytest.fixture
def six(cohort_with_sessions, members):
    rounds_sync(cohort=cohort_with_sessions)
    return {m.name: m for m in members}


def test_someone_left_alone_is_paired_with_a_person_on_their_own_before_joining_a_pair(
    cohort_with_sessions, six
):
    round_ = Round.objects.get(cohort=cohort_with_sessions, number=1)
    set_groups(round_, ("Ada", "Ben"), ("Cal",), ("Dee", "Eve", "Fay"), members=six)
    reminders_dispatch(now=round_.opens_at)
    before = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first()

    leave(six["Ada"], now=round_.opens_at + HOUR)

    assert groups(round_) == [("Ben", "Cal"), ("Dee", "Eve", "Fay")]
    assert sorted(OutgoingEmail.objects.filter(pk__gt=before).values_list("to", "subject")) == [
        (six["Ben"].email, "Your coffee pair has changed: meet Cal"),
        (six["Cal"].email, "Your coffee pair has changed: Ben joins you"),
    ]


def test_someone_left_alone_joins_a_pair_rather_than_the_trio(cohort_with_sessions, six):
    round_ = Round.objects.get(cohort=cohort_with_sessions, number=1)
    set_groups(round_, ("Ada", "Ben"), ("Cal", "Dee", "Eve"), ("Fay",), members=six)
    PairMember.objects.filter(round=round_, member=six["Fay"]).delete()  # Fay sits this round out
    gus = MemberFactory(cohort=cohort_with_sessions, name="Gus", organisation="Gus Trust")
    hal = MemberFactory(cohort=cohort_with_sessions, name="Hal", organisation="Hal Trust")
    pair = Pair.objects.create(round=round_)
    for person in (gus, hal):
        PairMember.objects.create(pair=pair, round=round_, member=person)

    leave(six["Ada"], now=round_.opens_at + HOUR)

    assert groups(round_) == [("Ben", "Gus", "Hal"), ("Cal", "Dee", "Eve")]


def test_with_nobody_free_the_partner_is_told_and_stays_on_their_own(cohort_with_sessions, six):
    round_ = Round.objects.get(cohort=cohort_with_sessions, number=1)
    set_groups(round_, ("Ada", "Ben"), members=six)

    leave(six["Ada"], now=round_.opens_at + HOUR)

    assert groups(round_) == [("Ben",)]
    email = OutgoingEmail.objects.get()
    assert (email.to, email.subject, email.kind) == (
        six["Ben"].email,
        "Your coffee pair has left the group",
        EmailKind.COFFEE_CHANGE,
    )
    assert "Ada has left the group, so you have no coffee pair between sessions 1 and 2" in email.body_text


def test_before_the_dispatcher_introduced_the_pair_they_join_only_the_partner_is_written_to(
    cohort_with_sessions, six
):
    """The round has opened but the introductions are not out yet: theirs will name everyone, once."""
    round_ = Round.objects.get(cohort=cohort_with_sessions, number=1)
    set_groups(round_, ("Ada", "Ben"), ("Cal", "Dee"), members=six)

    leave(six["Ada"], now=round_.opens_at + HOUR)
    reminders_dispatch(now=round_.opens_at + 2 * HOUR)

    assert sorted(OutgoingEmail.objects.values_list("to", "kind", "subject")) == [
        (six["Ben"].email, EmailKind.COFFEE_CHANGE, "Your coffee pair has changed: meet Cal and Dee"),
        (six["Cal"].email, EmailKind.COFFEE_INTRODUCTION, "Your coffee pair: meet Ben and Dee"),
        (six["Dee"].email, EmailKind.COFFEE_INTRODUCTION, "Your coffee pair: meet Ben and Cal"),
    ]


def test_a_closed_round_is_history_and_stays_as_it_was(cohort_with_sessions, six):
    round_ = Round.objects.get(cohort=cohort_with_sessions, number=1)
    set_groups(round_, ("Ada", "Ben"), ("Cal", "Dee"), members=six)

    leave(six["Ada"], now=round_.closes_at)

    assert groups(round_) == [("Ada", "Ben"), ("Cal", "Dee")]
    assert OutgoingEmail.objects.count() == 0


def test_the_leavers_skips_go_and_planned_rounds_are_planned_again_without_them(cohort_with_sessions, six):
    pairs_plan(cohort=cohort_with_sessions)
    first = round_publish(round_=Round.objects.get(cohort=cohort_with_sessions, number=1))
    later = Round.objects.get(cohort=cohort_with_sessions, number=3)
    SkipRequest.objects.create(round=later, member=six["Ada"])

    leave(six["Ada"], now=first.opens_at - HOUR)

    assert SkipRequest.objects.count() == 0
    for number in (2, 3, 4, 5):
        planned = groups(Round.objects.get(cohort=cohort_with_sessions, number=number))
        assert sorted(n for g in planned for n in g) == ["Ben", "Cal", "Dee", "Eve", "Fay"]
