"""The group composer alone: plain values in, plain values out, no database. Hand-made cases for the words and the
refusals, and properties (hypothesis) against a brute force on small instances."""

import random
from itertools import combinations, combinations_with_replacement

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.composer import (
    IF_NEED_BE,
    NO,
    OPTIMAL,
    TIME_LIMIT,
    YES,
    Applicant,
    ComposerError,
    Rules,
    Time,
    breaches,
    compose,
    greedy_compose,
    objective_of,
    weight,
)

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MON = Time("mon", "Monday 10:00")
TUE = Time("tue", "Tuesday 14:00")
WED = Time("wed", "Wednesday 10:00")
THU = Time("thu", "Thursday 14:00")
TIMES = [MON, TUE, WED, THU]


def person(pid, score=5, organisation="", role="front_line", **answers):
    return Applicant(id=pid, availability=answers, score=score, organisation=organisation, role=role)


def summary(proposal):
    return [(g.time.key, g.members) for g in proposal.groups]


# The weights -------------------------------------------------------------------------------------------------


def test_weight_is_ten_plus_score_times_four_for_yes_and_three_for_if_need_be():
    keen = person("a", score=10, mon=YES, tue=IF_NEED_BE, wed=NO)
    unscored = person("b", score=None, mon=YES)

    assert [weight(keen, key, Rules()) for key in ("mon", "tue", "wed", "thu")] == [80, 60, 0, 0]
    assert weight(keen, "tue", Rules(avoid_if_need_be=True)) == 20
    assert weight(unscored, "mon", Rules()) == 40


# Hand-made proposals and their words -------------------------------------------------------------------------


def test_compose_picks_the_time_that_places_most_and_explains_everyone_left_out():
    applicants = [
        person("ada", score=9, mon=YES, tue=YES),
        person("bo", score=8, tue=YES),
        person("cy", score=7, tue=IF_NEED_BE, thu=YES),
        person("di", score=2, thu=YES),
        person("ed", score=6, organisation="Oak Trust", tue=YES),
        person("fay", score=9, organisation="oak  trust", tue=YES),
        person("gus", score=1, tue=YES),
        person("hal", score=5),
    ]

    proposal = compose(applicants, TIMES, Rules(group_size=4, groups=1))

    assert proposal.status == OPTIMAL
    assert summary(proposal) == [("tue", ("ada", "fay", "bo", "cy"))]
    assert proposal.groups[0].yes == ("ada", "fay", "bo")
    assert proposal.groups[0].if_need_be == ("cy",)
    assert proposal.objective == 19 * 4 + 19 * 4 + 18 * 4 + 17 * 3
    assert proposal.bound == proposal.objective
    assert proposal.gap == 0.0
    assert proposal.waitlist == ("ed", "gus", "hal", "di")
    assert proposal.reasons == {
        "di": "Can only make Thursday 14:00, which no group uses.",
        "ed": "A colleague from the same organisation is in the only group they can make, at Tuesday 14:00.",
        "gus": "The only group they can make, at Tuesday 14:00, is full of people with a higher score or a firmer yes.",
        "hal": "Said no to every time offered.",
    }
    assert proposal.broken_rules == ()


def test_reasons_name_several_groups_and_excluded_people():
    applicants = [
        person("ada", score=9, mon=YES, organisation="Elm"),
        person("bo", score=9, tue=YES),
        person("cy", score=1, organisation="Elm", mon=YES, tue=YES, wed=YES, thu=IF_NEED_BE),
        Applicant(id="di", availability={"mon": YES}, score=10, exclude=True),
    ]

    proposal = compose(applicants, TIMES, Rules(group_size=1, groups=2))

    assert summary(proposal) == [("mon", ("ada",)), ("tue", ("bo",))]
    assert proposal.waitlist == ("cy",)
    assert proposal.reasons == {
        "cy": "A colleague from the same organisation is in the group at Monday 10:00; the group at Tuesday 14:00 "
        "is full of people with a higher score or a firmer yes.",
        "di": "Marked “exclude” by the manager.",
    }


def test_reason_lists_three_times_then_how_many_more():
    times = [Time(n, f"Time {n}") for n in range(6)]
    applicants = [
        Applicant(id="ada", availability={0: YES}, score=1),
        Applicant(id="bo", availability=dict.fromkeys(range(1, 6), YES)),
    ]

    proposal = compose(applicants, times, Rules(group_size=1, groups=1))

    # Ada (score 1: weight 44) outweighs Bo (unscored: 40), wherever Bo's group would meet.
    assert summary(proposal) == [(0, ("ada",))]
    assert proposal.reasons == {"bo": "Can only make Time 1, Time 2, Time 3 and 2 more, which no group uses."}


def test_waitlist_puts_those_who_said_yes_to_a_group_time_first_then_if_need_be_then_by_score():
    applicants = [
        person("ada", score=10, mon=YES),
        person("bo", score=3, tue=YES),
        person("cy", score=9, mon=IF_NEED_BE),
        person("di", score=1, mon=YES),
        person("ed", score=8, mon=YES),
    ]

    proposal = compose(applicants, TIMES, Rules(group_size=1, groups=1))

    assert summary(proposal) == [("mon", ("ada",))]
    assert proposal.waitlist == ("ed", "di", "cy", "bo")


def test_role_minimum_keeps_front_line_places_even_for_lower_scores():
    applicants = [
        person("ada", score=10, role="designing", mon=YES),
        person("bo", score=9, role="designing", mon=YES),
        person("cy", score=1, role="front_line", mon=YES),
    ]

    proposal = compose(applicants, TIMES, Rules(group_size=2, groups=1, role_minimums={"front_line": 1}))

    assert summary(proposal) == [("mon", ("ada", "cy"))]
    assert proposal.reasons == {
        "bo": "The only group they can make, at Monday 10:00, is full, and those in it with a lower score are "
        "pinned, must be included or needed for the role mix."
    }


def test_as_many_groups_as_demand_fills_opens_only_full_groups():
    applicants = [person(n, mon=YES) for n in range(3)] + [person(n, tue=YES) for n in range(3, 5)]

    proposal = compose(applicants, TIMES, Rules(group_size=3, groups=None))

    assert summary(proposal) == [("mon", (0, 1, 2))]
    assert proposal.reasons == {
        3: "Can only make Tuesday 14:00, which no group uses.",
        4: "Can only make Tuesday 14:00, which no group uses.",
    }


def test_no_group_when_nobody_can_come():
    proposal = compose([person("ada", mon=NO)], TIMES, Rules())

    assert summary(proposal) == []
    assert proposal.waitlist == ("ada",)
    assert proposal.reasons == {"ada": "Said no to every time offered."}


def test_must_include_takes_a_place_from_a_higher_score():
    applicants = [
        person("ada", score=10, mon=YES),
        Applicant(id="bo", availability={"mon": IF_NEED_BE}, include=True),
    ]

    proposal = compose(applicants, TIMES, Rules(group_size=1, groups=1))

    assert summary(proposal) == [("mon", ("bo",))]


def test_a_must_include_who_cannot_be_placed_is_named_with_the_reason():
    applicants = [
        Applicant(id="ada", availability={"mon": YES}, score=3, include=True),
        Applicant(id="bo", availability={"tue": YES}, score=9, include=True),
        person("cy", score=10, tue=YES),
    ]

    proposal = compose(applicants, TIMES, Rules(group_size=2, groups=1))

    # One group: Tuesday places two people (Bo and Cy), Monday one; Ada cannot be placed with Bo.
    assert summary(proposal) == [("tue", ("cy", "bo"))]
    assert proposal.broken_rules == ("ada is marked “must include” but could not be placed",)
    assert proposal.reasons == {"ada": "Can only make Monday 10:00, which no group uses."}


def test_pins_are_kept_and_the_rest_is_solved_around_them():
    applicants = [
        person("ada", score=10, mon=IF_NEED_BE, tue=YES),
        person("bo", score=9, mon=YES),
        person("cy", score=8, tue=YES),
    ]

    assert summary(compose(applicants, TIMES, Rules(group_size=1, groups=2))) == [
        ("mon", ("bo",)),
        ("tue", ("ada",)),
    ]
    # Ada at Monday leaves Tuesday to Cy (worth 72), or a second Monday group to Bo (worth 76).
    assert summary(compose(applicants, TIMES, Rules(group_size=1, groups=2), pins={"ada": "mon"})) == [
        ("mon", ("ada",)),
        ("mon", ("bo",)),
    ]


def test_two_groups_meet_at_the_same_time_when_demand_fills_both():
    applicants = [
        person(f"p{n}", score=n, organisation=("Oak" if n < 2 else f"Org {n}"), tue=YES) for n in range(6)
    ]
    applicants.append(person("mo", score=0, mon=YES))

    proposal = compose(applicants, TIMES, Rules(group_size=3, groups=2))

    # Everyone who can come on Tuesday is placed, in two Tuesday groups; the two from Oak are in different ones.
    assert summary(proposal) == [("tue", ("p4", "p2", "p0")), ("tue", ("p5", "p3", "p1"))]
    assert proposal.status == OPTIMAL
    assert proposal.broken_rules == ()
    assert proposal.waitlist == ("mo",)
    assert proposal.reasons["mo"] == "Can only make Monday 10:00, which no group uses."


def test_people_at_one_time_are_shared_between_its_groups_keeping_every_rule():
    # Dealt round the two groups by organisation, or by role, one group would lack a front-line person or hold
    # two from one organisation: the exact sharing keeps both rules.
    applicants = [
        person("ada", organisation="Oak", role="front_line", tue=YES),
        person("bo", organisation="Oak", role="designing", tue=YES),
        person("cy", organisation="Elm", role="designing", tue=YES),
        person("di", organisation="", role="designing", tue=YES),
        person("ed", organisation="Elm", role="designing", tue=YES),
        person("fay", organisation="", role="front_line", tue=YES),
    ]
    rules = Rules(group_size=4, groups=2, role_minimums={"front_line": 1})

    proposal = compose(applicants, TIMES, rules)

    assert sorted(len(g.members) for g in proposal.groups) == [2, 4]
    assert {g.time.key for g in proposal.groups} == {"tue"}
    assert breaches(applicants, summary(proposal), rules) == []
    assert proposal.broken_rules == ()


def test_a_person_left_out_of_two_full_groups_at_one_time_hears_of_the_groups_once():
    applicants = [person(f"p{n}", score=n + 1, organisation=f"Org {n}", tue=YES) for n in range(5)]

    proposal = compose(applicants, TIMES, Rules(group_size=2, groups=2))

    assert summary(proposal) == [("tue", ("p3", "p1")), ("tue", ("p4", "p2"))]
    assert proposal.reasons == {
        "p0": "The groups at Tuesday 14:00 are full of people with a higher score or a firmer yes."
    }


def test_pins_that_break_a_rule_are_kept_and_the_breach_is_named():
    applicants = [
        person("ada", organisation="Elm", mon=YES),
        person("bo", organisation="Elm", mon=YES),
        person("cy", organisation="Oak", mon=YES),
    ]

    proposal = compose(applicants, TIMES, Rules(group_size=3, groups=1), pins={"ada": "mon", "bo": "mon"})

    assert summary(proposal) == [("mon", ("ada", "bo", "cy"))]
    assert proposal.broken_rules == ("2 people from elm in the group at Monday 10:00",)


@pytest.mark.parametrize(
    ("pins", "rules", "message"),
    [
        ({"ada": "tue"}, Rules(), "ada is pinned to Tuesday 14:00, which they said no to."),
        ({"zed": "mon"}, Rules(), "A pinned person (zed) is not among the applicants."),
        ({"ada": "fri"}, Rules(), "ada is pinned to a time that is not on offer."),
        (
            {"ada": "mon", "bo": "tue"},
            Rules(groups=1),
            "People are pinned to 2 times, but only 1 group is wanted.",
        ),
        (
            {"ada": "mon", "bo": "mon"},
            Rules(group_size=1),
            "More people are pinned to Monday 10:00 than a group holds.",
        ),
        ({"cy": "mon"}, Rules(), "cy is both pinned and excluded."),
        (
            {},
            Rules(group_size=2, role_minimums={"a": 2, "b": 1}),
            "The role minimums add up to more than the group size.",
        ),
        (
            {},
            Rules(group_size=2, min_group_size=3),
            "The smallest group allowed is larger than the group size.",
        ),
        ({}, Rules(group_size=0), "A group needs at least one place."),
    ],
)
def test_impossible_requests_are_refused_in_words(pins, rules, message):
    applicants = [
        person("ada", mon=YES),
        person("bo", mon=YES, tue=YES),
        Applicant(id="cy", availability={"mon": YES}, exclude=True),
    ]

    with pytest.raises(ComposerError) as refused:
        compose(applicants, TIMES, rules, pins=pins)

    assert str(refused.value) == message


def test_a_time_limit_returns_the_best_answer_so_far_and_its_bound():
    rng = random.Random(3)
    times = [Time(n, f"Time {n}") for n in range(40)]
    applicants = [
        Applicant(
            id=n,
            availability={t.key: rng.choice([YES, IF_NEED_BE, NO, NO, NO]) for t in times},
            score=rng.randint(0, 10),
            organisation=f"Charity {rng.randrange(150)}",
        )
        for n in range(300)
    ]
    rules = Rules(groups=5, time_limit=0.01)

    proposal = compose(applicants, times, rules)

    assert proposal.status == TIME_LIMIT
    assert proposal.objective >= objective_of(
        applicants, greedy_compose(applicants, times, rules).items(), rules
    )
    assert proposal.bound >= proposal.objective
    assert [len(g.members) for g in proposal.groups] == [20, 20, 20, 20, 20]


# Properties --------------------------------------------------------------------------------------------------

ORGANISATIONS = ["", "", "Oak", "oak ", "Elm", "Ash"]
ROLES = ["front_line", "designing"]


@st.composite
def instances(draw, max_applicants=12, max_times=4, marks=True):
    times = [Time(k, f"Time {k}") for k in range(draw(st.integers(1, max_times)))]
    applicants = []
    for n in range(draw(st.integers(0, max_applicants))):
        answers = draw(
            st.lists(
                st.sampled_from([YES, YES, IF_NEED_BE, NO, NO]), min_size=len(times), max_size=len(times)
            )
        )
        applicants.append(
            Applicant(
                id=n,
                availability={t.key: answer for t, answer in zip(times, answers, strict=True)},
                score=draw(st.none() | st.integers(0, 10)),
                organisation=draw(st.sampled_from(ORGANISATIONS)),
                role=draw(st.sampled_from(ROLES)),
                include=marks and draw(st.integers(0, 9)) == 0,
                exclude=marks and draw(st.integers(0, 9)) == 0,
            )
        )
    size = draw(st.integers(1, 3))
    rules = Rules(
        group_size=size,
        groups=draw(st.integers(1, 2)),
        max_per_organisation=draw(st.integers(1, 2)),
        role_minimums=draw(st.sampled_from([{}, {"front_line": 1}])),
        avoid_if_need_be=draw(st.booleans()),
        min_group_size=draw(st.sampled_from([None, min(2, size)])),
        time_limit=30,
    )
    return applicants, times, rules


def brute_force(applicants, times, rules, pins=None):
    """The best objective over every assignment that keeps the rules, the pins and the must-includes (None if
    there is none), by listing every possible group at every time (two groups may meet at one time)."""
    pins = pins or {}
    eligible = [a for a in applicants if not a.exclude]
    includes = {a.id for a in eligible if a.include and any(a.can_make(t.key) for t in times)}
    options = {}
    for t in times:
        can = [a.id for a in eligible if a.can_make(t.key)]
        here = {a for a, key in pins.items() if key == t.key}
        found = []
        for size in range(rules.smallest_group, rules.group_size + 1):
            for members in combinations(can, size):
                chosen = set(members)
                if not (chosen & (set(pins) - here)) and not breaches(applicants, [(t.key, members)], rules):
                    found.append((objective_of(applicants, [(t.key, members)], rules), frozenset(members)))
        options[t.key] = sorted(found, key=lambda option: -option[0])
    best = None
    pinned_times = set(pins.values())
    for count in range(rules.groups + 1):
        for chosen_times in combinations_with_replacement([t.key for t in times], count):
            if not pinned_times <= set(chosen_times):
                continue
            for value, _members in _disjoint(options, chosen_times, includes | set(pins)):
                if best is None or value > best:
                    best = value
    return best


def _disjoint(options, keys, includes, taken=frozenset()):
    if not keys:
        if includes <= taken:
            yield 0, taken
        return
    first, rest = keys[0], keys[1:]
    for value, members in options[first]:
        if members & taken:
            continue
        for more, everyone in _disjoint(options, rest, includes, taken | members):
            yield value + more, everyone


def assignment(proposal):
    return [(g.time.key, g.members) for g in proposal.groups]


@PROPERTY_SETTINGS
@given(instances(max_applicants=30, max_times=6))
def test_every_placed_person_can_make_their_group_time_and_no_group_is_over_size(instance):
    applicants, times, rules = instance
    by_id = {a.id: a for a in applicants}

    proposal = compose(applicants, times, rules)

    for group in proposal.groups:
        assert all(by_id[m].can_make(group.time.key) for m in group.members)
        assert all(not by_id[m].exclude for m in group.members)
        assert len(group.members) <= rules.group_size
    assert len(proposal.groups) <= rules.groups
    placed = proposal.placed
    assert len(placed) == len(set(placed))
    assert sorted(proposal.reasons, key=str) == sorted(
        (a.id for a in applicants if a.id not in placed), key=str
    )
    assert sorted(proposal.waitlist, key=str) == sorted(
        (a.id for a in applicants if a.id not in placed and not a.exclude), key=str
    )
    assert proposal.objective == objective_of(applicants, assignment(proposal), rules)


@PROPERTY_SETTINGS
@given(instances(max_applicants=30, max_times=6, marks=False))
def test_organisation_and_role_rules_always_hold_without_pins(instance):
    """Without pins or must-includes the rules can always be kept (by opening fewer groups), so they are."""
    applicants, times, rules = instance

    proposal = compose(applicants, times, rules)

    assert breaches(applicants, assignment(proposal), rules) == []
    assert proposal.broken_rules == ()


@PROPERTY_SETTINGS
@given(instances())
def test_objective_equals_brute_force_on_small_instances(instance):
    applicants, times, rules = instance
    best = brute_force(applicants, times, rules)

    proposal = compose(applicants, times, rules)

    if best is None:  # the must-includes cannot all be kept within the rules: the fewest rules are broken
        assert proposal.broken_rules != ()
    else:
        assert proposal.status == OPTIMAL
        assert proposal.broken_rules == ()
        assert proposal.objective == best
        if not any(a.include for a in applicants):  # the greedy answer may miss a must-include
            greedy = greedy_compose(applicants, times, rules)
            assert proposal.objective >= objective_of(applicants, greedy.items(), rules)


@PROPERTY_SETTINGS
@given(instances(marks=False), st.randoms(use_true_random=False))
def test_resolving_with_pins_keeps_every_pin(instance, rng):
    applicants, times, rules = instance
    first = compose(applicants, times, rules)
    # The manager pins up to three people to times they can make, within the number and size of groups.
    pins = {}
    for a in rng.sample(applicants, min(3, len(applicants))):
        choices = [t.key for t in times if a.can_make(t.key)]
        if not choices:
            continue
        key = rng.choice(choices)
        if (
            len(set(pins.values()) | {key}) <= rules.groups
            and list(pins.values()).count(key) < rules.group_size
        ):
            pins[a.id] = key

    proposal = compose(applicants, times, rules, pins=pins)

    assert {a: proposal.group_of(a).time.key for a in pins} == pins
    best = brute_force(applicants, times, rules, pins)
    if best is not None:  # the rules can be kept with these pins: they are, and the answer is optimal
        assert proposal.broken_rules == ()
        assert proposal.objective == best
    assert first.objective >= (best or 0)
