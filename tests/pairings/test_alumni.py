"""Alumni coffee pairs: who may join, one round a month formed by the dispatcher, never a pair who have met before
(in a group, a group's coffee round or an earlier month), opting out, leaving and the pages."""

import datetime
import itertools

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohort_site.mail.dispatch import reminders_dispatch
from cohort_site.mail.enums import EmailKind, EmailStatus
from cohort_site.mail.models import OutgoingEmail
from cohort_site.members.services import member_leave
from pairings.alumni import (
    alumni_met_pairs,
    alumni_opt_in,
    alumni_round_form,
    without_repeats,
)
from pairings.models import AlumniOptIn, AlumniPairMember, AlumniRound, Pair, PairMember
from pairings.planner import Member, pair_key, pairs_in, plan_pairs
from tests.factories import CohortFactory, MemberFactory, ProgrammeFactory, RoundFactory
from tests.world import group_sessions

pytestmark = pytest.mark.django_db
INTRODUCTION = EmailKind.ALUMNI_COFFEE_INTRODUCTION


def ended_group(programme, names, *, sessions=2):
    """A group of members whose sessions are all held; returns (members by name, when the last one ended)."""
    cohort = CohortFactory(programme=programme)
    held = group_sessions(cohort, count=sessions)
    people = {
        name: MemberFactory(cohort=cohort, name=name, email=f"{name.lower()}@example.org") for name in names
    }
    return people, held[-1].ends_at


def pairs_of(round_) -> list[tuple[str, ...]]:
    by_pair: dict[int, list[str]] = {}
    for pair_id, name in AlumniPairMember.objects.filter(round=round_).values_list("pair_id", "user__name"):
        by_pair.setdefault(pair_id, []).append(name)
    return sorted(tuple(sorted(names)) for names in by_pair.values())


def partner_of(user):
    """The one person `user` is paired with (in the only alumni round)."""
    (mine,) = AlumniPairMember.objects.filter(user=user)
    return AlumniPairMember.objects.exclude(user=user).get(pair=mine.pair).user


def months_after(moment: datetime.datetime, count: int) -> datetime.datetime:
    """Ten in the morning on the 2nd of the month `count` months after `moment`'s, UK time."""
    local = moment.astimezone(datetime.UTC)
    year, month = divmod(local.month - 1 + count, 12)
    return datetime.datetime(local.year + year, month + 1, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def two_groups():
    """Two ended groups of two (Ada, Ben) and (Cal, Dee), of two programmes, everyone opted in."""
    first, ended_a = ended_group(ProgrammeFactory(), ["Ada", "Ben"])
    second, ended_b = ended_group(ProgrammeFactory(), ["Cal", "Dee"])
    start = months_after(max(ended_a, ended_b), 1)
    people = {**first, **second}
    with time_machine.travel(start, tick=False):
        for member in people.values():
            alumni_opt_in(user=member.user)
    return people, start


# --- Who may join ----------------------------------------------------------------------------------------------


def test_opt_in_refused_while_the_group_has_sessions_to_come():
    cohort = CohortFactory()
    sessions = group_sessions(cohort, count=3)
    member = MemberFactory(cohort=cohort)

    with time_machine.travel(sessions[1].ends_at, tick=False), pytest.raises(ValidationError) as error:
        alumni_opt_in(user=member.user)

    assert error.value.messages == ["Alumni coffee pairs are for members whose group has ended."]
    assert AlumniOptIn.objects.count() == 0


def test_opt_in_refused_to_someone_who_left_an_ended_group():
    people, ended = ended_group(ProgrammeFactory(), ["Ada"])
    with time_machine.travel(ended - datetime.timedelta(days=8), tick=False):
        member_leave(application=people["Ada"], by=people["Ada"].user)

    with time_machine.travel(ended + datetime.timedelta(days=1), tick=False), pytest.raises(ValidationError):
        alumni_opt_in(user=people["Ada"].user)

    assert AlumniOptIn.objects.count() == 0


def test_alumni_page_is_a_404_before_the_group_ends_and_opens_after(client):
    people, ended = ended_group(ProgrammeFactory(), ["Ada"])
    url = reverse("pairings:alumni")

    with time_machine.travel(ended - datetime.timedelta(minutes=1), tick=False):
        client.force_login(people["Ada"].user)
        before = (client.get(url).status_code, client.post(url, {"opt_in": "1"}).status_code)
    with time_machine.travel(ended, tick=False):
        after_get = client.get(url)
        after_post = client.post(url, {"opt_in": "1"})

    assert before == (404, 404)
    assert after_get.status_code == 200
    assert after_get.context["overview"].opted_in is False
    assert after_post["Location"] == url
    assert list(AlumniOptIn.objects.values_list("user__name", flat=True)) == ["Ada"]


def test_opting_in_twice_keeps_one_opt_in():
    people, ended = ended_group(ProgrammeFactory(), ["Ada"])
    with time_machine.travel(ended, tick=False):
        alumni_opt_in(user=people["Ada"].user)
        alumni_opt_in(user=people["Ada"].user)

    assert AlumniOptIn.objects.count() == 1


# --- One round a month, by the dispatcher --------------------------------------------------------------------


def test_one_round_a_month_under_two_dispatcher_runs(two_groups):
    _, start = two_groups

    with time_machine.travel(start, tick=False):
        reminders_dispatch()
    with time_machine.travel(start + datetime.timedelta(hours=6), tick=False):
        reminders_dispatch()

    (round_,) = AlumniRound.objects.all()
    assert round_.month == start.date().replace(day=1)
    groups = pairs_of(round_)
    # Across the two groups, never within one.
    assert groups in ([("Ada", "Cal"), ("Ben", "Dee")], [("Ada", "Dee"), ("Ben", "Cal")])
    emails = OutgoingEmail.objects.filter(kind=INTRODUCTION).order_by("to")
    assert [e.to for e in emails] == [
        "ada@example.org",
        "ben@example.org",
        "cal@example.org",
        "dee@example.org",
    ]
    partner_of_ada = next(name for group in groups if "Ada" in group for name in group if name != "Ada")
    assert emails[0].subject == f"Your alumni coffee pair this month: meet {partner_of_ada}"


def test_each_month_a_new_pair_and_none_once_everyone_has_met(two_groups):
    _, start = two_groups

    formed = []
    for month in range(3):
        with time_machine.travel(months_after(start, month), tick=False):
            reminders_dispatch()
            formed.append(alumni_round_form())

    first, second, third = formed
    assert first is not None and second is not None
    assert sorted(pairs_of(first) + pairs_of(second)) == [
        ("Ada", "Cal"),
        ("Ada", "Dee"),
        ("Ben", "Cal"),
        ("Ben", "Dee"),
    ]
    # Everyone has met everyone from the other group, and their own group: nothing new to form.
    assert third is None
    assert AlumniRound.objects.count() == 2
    assert OutgoingEmail.objects.filter(kind=INTRODUCTION).count() == 8


def test_opt_out_is_honoured_before_the_next_round(two_groups, client):
    people, start = two_groups
    with time_machine.travel(start, tick=False):
        reminders_dispatch()
        client.force_login(people["Ada"].user)
        response = client.post(reverse("pairings:alumni"), {"opt_out": "1"})

    with time_machine.travel(months_after(start, 1), tick=False):
        reminders_dispatch()

    assert response["Location"] == reverse("pairings:alumni")
    this_month, next_month = AlumniRound.objects.order_by("month")
    ben_met = next(
        name for group in pairs_of(this_month) if "Ben" in group for name in group if name != "Ben"
    )
    assert len(pairs_of(this_month)) == 2  # this month's pair stands
    assert pairs_of(next_month) == [("Ben", {"Cal": "Dee", "Dee": "Cal"}[ben_met])]


def test_coffee_partners_and_group_members_count_as_met_across_programmes():
    programme = ProgrammeFactory()
    group_a, _ = ended_group(programme, ["Ada", "Ben"])
    group_b, _ = ended_group(programme, ["Cal", "Dee"])
    # Ada and Cal also met in a group's coffee round before (one of them was in both groups).
    later = CohortFactory(programme=programme)
    ada_again = MemberFactory(cohort=later, name="Ada", email="ada2@example.org", user=group_a["Ada"].user)
    cal_again = MemberFactory(cohort=later, name="Cal", email="cal2@example.org", user=group_b["Cal"].user)
    round_ = RoundFactory(cohort=later)
    pair = Pair.objects.create(round=round_)
    PairMember.objects.create(pair=pair, round=round_, member=ada_again)
    PairMember.objects.create(pair=pair, round=round_, member=cal_again)

    met = alumni_met_pairs([m.user_id for m in [*group_a.values(), *group_b.values()]])

    ids = {name: m.user_id for name, m in {**group_a, **group_b}.items()}
    assert met == {
        pair_key(ids["Ada"], ids["Ben"]),
        pair_key(ids["Cal"], ids["Dee"]),
        pair_key(ids["Ada"], ids["Cal"]),
    }


def test_an_odd_number_makes_one_trio_of_people_who_have_not_met():
    programme = ProgrammeFactory()
    everyone = {}
    last = None
    for names in (["Ada"], ["Ben"], ["Cal"], ["Dee"], ["Eve"]):
        people, last = ended_group(programme, names)
        everyone.update(people)
    with time_machine.travel(months_after(last, 1), tick=False):
        for member in everyone.values():
            alumni_opt_in(user=member.user)
        round_ = alumni_round_form()

    assert sorted(len(group) for group in pairs_of(round_)) == [2, 3]


# --- Never a repeat: the planner and the guard, over many months ---------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    group_sizes=st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=6),
    months=st.integers(min_value=1, max_value=6),
    opted_out=st.sets(st.integers(min_value=0, max_value=29), max_size=6),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_months_of_alumni_pairs_never_repeat_a_pair_met_before(group_sizes, months, opted_out, seed):
    """What `alumni_round_form` does each month, without the database: plan with the meetings so far as history,
    then break up what repeats. No pair ever meets twice (or met in their group), nobody is in two groups, and
    every group is a pair or a trio."""
    ids = itertools.count(1)
    groups = [[next(ids) for _ in range(size)] for size in group_sizes]
    met = {pair for group in groups for pair in pairs_in(group)}
    people = [p for group in groups for p in group if p not in opted_out]
    for month in range(months):
        if len(people) < 2:
            break
        plan = plan_pairs([Member(id=p) for p in people], rounds=1, past_pairs=sorted(met), seed=seed + month)
        formed = without_repeats(plan.rounds[0], met)
        seated = [p for group in formed for p in group]
        assert sorted(seated) == sorted(set(seated))
        assert set(seated) <= set(people)
        assert {len(group) for group in formed} <= {2, 3}
        assert [pair for group in formed for pair in pairs_in(group) if pair in met] == []
        met |= {pair for group in formed for pair in pairs_in(group)}


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    group_sizes=st.lists(st.integers(min_value=1, max_value=4), min_size=2, max_size=4),
    months=st.integers(min_value=2, max_value=4),
)
def test_rounds_in_the_database_never_pair_people_who_met_before(group_sizes, months):
    """The same over the database and the dispatcher's service, month after month: no alumni pair shares a
    group, and no two people are alumni partners twice."""
    with transaction.atomic():
        programme = ProgrammeFactory()
        last = None
        everyone = []
        for number, size in enumerate(group_sizes):
            people, last = ended_group(programme, [f"P{number}x{i}" for i in range(size)])
            everyone += people.values()
        group_of = {m.user_id: m.cohort_id for m in everyone}
        with time_machine.travel(months_after(last, 1), tick=False):
            for member in everyone:
                alumni_opt_in(user=member.user)
        seen: set[tuple[int, int]] = set()
        for month in range(months):
            with time_machine.travel(months_after(last, 1 + month), tick=False):
                round_ = alumni_round_form()
            # Two groups or more: the first month always has someone from another group to meet.
            assert month > 0 or round_ is not None
            if round_ is None:
                continue
            by_pair: dict[int, list[int]] = {}
            for pair_id, user_id in AlumniPairMember.objects.filter(round=round_).values_list(
                "pair_id", "user_id"
            ):
                by_pair.setdefault(pair_id, []).append(user_id)
            pairs = [pair for people in by_pair.values() for pair in pairs_in(sorted(people))]
            assert [(a, b) for a, b in pairs if group_of[a] == group_of[b]] == []
            assert sorted(set(pairs) & seen) == []
            seen |= set(pairs)
        transaction.set_rollback(True)


def test_without_repeats_breaks_a_trio_and_reseats_the_odd_one_out():
    # 1-2 met; 3 has met nobody; 4-5 pair fine.
    met = {(1, 2)}

    assert without_repeats([(1, 2, 3), (4, 5)], met) == [(1, 3), (2, 4, 5)]


# --- Leaving and the pages ---------------------------------------------------------------------------------------


def test_leaving_takes_them_out_of_the_pairs_and_their_partner_is_not_introduced_to_nobody(two_groups):
    people, start = two_groups
    with time_machine.travel(start, tick=False):
        alumni_round_form()
        partner = partner_of(people["Ada"].user)
        member_leave(application=people["Ada"], by=people["Ada"].user)
        reminders_dispatch()

    assert AlumniOptIn.objects.filter(user=people["Ada"].user).count() == 0
    assert AlumniPairMember.objects.filter(user__in=[people["Ada"].user, partner]).count() == 0
    assert sorted(OutgoingEmail.objects.filter(kind=INTRODUCTION).values_list("to", flat=True)) == sorted(
        m.email for m in people.values() if m.user_id not in (people["Ada"].user_id, partner.pk)
    )


def test_introductions_waiting_to_go_to_a_leaver_and_their_partner_are_skipped(two_groups):
    people, start = two_groups
    with time_machine.travel(start, tick=False):
        reminders_dispatch()
        partner = partner_of(people["Ada"].user)
        member_leave(application=people["Ada"], by=people["Ada"].user)

    statuses = dict(OutgoingEmail.objects.filter(kind=INTRODUCTION).values_list("to", "status"))
    others = {m.email for m in people.values()} - {"ada@example.org", partner.email}
    assert statuses == {
        "ada@example.org": EmailStatus.SKIPPED,
        partner.email: EmailStatus.SKIPPED,
        **dict.fromkeys(others, EmailStatus.QUEUED),
    }
    assert AlumniPairMember.objects.filter(user__in=[people["Ada"].user, partner]).count() == 0


def test_dashboard_shows_this_months_alumni_pair(two_groups, client):
    people, start = two_groups
    with time_machine.travel(start, tick=False):
        alumni_round_form()
        client.force_login(people["Ada"].user)
        response = client.get(reverse("dashboards:member"))

    alumni = response.context["dashboard"].alumni
    partner = partner_of(people["Ada"].user)
    assert (alumni.opted_in, [p.name for p in alumni.partners]) == (True, [partner.name])
    assert response.context["dashboard"].coffee_over is True
    assert f"<strong>{partner.name}</strong>" in response.content.decode()


def test_dashboard_has_no_alumni_section_during_the_group(client):
    cohort = CohortFactory()
    sessions = group_sessions(cohort, count=3)
    member = MemberFactory(cohort=cohort)
    with time_machine.travel(sessions[0].ends_at, tick=False):
        client.force_login(member.user)
        response = client.get(reverse("dashboards:member"))

    assert (response.context["dashboard"].alumni, response.context["dashboard"].coffee_over) == (None, False)
