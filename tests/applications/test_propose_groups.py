"""Proposing groups from a programme's applications: the composer's input read from the database, and the
manager's read-only "Propose groups" page."""

import datetime
import re

import pytest
from django.urls import reverse

from applications import composer
from applications.enums import ApplicationStatus, AvailabilityAnswer, ComposerMark, Region, RoleType
from applications.models import Application
from applications.selectors import composer_input
from tests.factories import (
    ApplicationFactory,
    AvailabilityFactory,
    CandidateTimeFactory,
    ProgrammeFactory,
    StaffFactory,
    application_in,
)

S = ApplicationStatus
YES = AvailabilityAnswer.YES
IF_NEED_BE = AvailabilityAnswer.IF_NEED_BE
NO = AvailabilityAnswer.NO


@pytest.fixture
def programme(db):
    return ProgrammeFactory(group_size=2)


@pytest.fixture
def times(programme):
    return (
        CandidateTimeFactory(programme=programme, weekday=1, start_time=datetime.time(14)),
        CandidateTimeFactory(programme=programme, weekday=3, start_time=datetime.time(10)),
    )


def applicant(programme, times, name, answers, **fields) -> Application:
    application = ApplicationFactory(programme=programme, name=name, **fields)
    for candidate, answer in zip(times, answers, strict=True):
        if answer is not None:
            AvailabilityFactory(application=application, candidate_time=candidate, answer=answer)
    return application


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


# --- The selector --------------------------------------------------------------------------------------------


def test_composer_input_reads_applications_under_consideration_with_their_answers(
    programme, times, django_assert_num_queries
):
    tuesday, thursday = times
    ada = applicant(programme, times, "Ada", [YES, IF_NEED_BE], score=7, organisation="Oak Trust")
    bo = applicant(programme, times, "Bo", [NO, None], role_type=RoleType.DESIGNING)
    waiting = application_in(S.WAITLISTED, programme=programme, name="Cy")
    AvailabilityFactory(application=waiting, candidate_time=thursday, answer=YES)
    application_in(S.DECLINED, programme=programme)
    application_in(S.OFFERED, programme=programme)
    other = ApplicationFactory()  # another programme's
    AvailabilityFactory(application=other, answer=YES)

    with django_assert_num_queries(3):
        data = composer_input(programme)
        labels = [t.label for t in data.times]

    assert data.applicants == [
        composer.Applicant(
            id=ada.pk,
            availability={tuesday.pk: YES, thursday.pk: IF_NEED_BE},
            score=7,
            organisation="Oak Trust",
            role=RoleType.FRONT_LINE,
        ),
        composer.Applicant(
            id=bo.pk,
            availability={tuesday.pk: NO},
            score=None,
            organisation=bo.organisation,
            role=RoleType.DESIGNING,
        ),
        composer.Applicant(
            id=waiting.pk,
            availability={thursday.pk: YES},
            organisation=waiting.organisation,
            role=RoleType.FRONT_LINE,
        ),
    ]
    assert labels == ["Tuesday 14:00–16:00", "Thursday 10:00–12:00"]
    assert [t.key for t in data.times] == [tuesday.pk, thursday.pk]
    assert sorted(data.applications) == sorted([ada.pk, bo.pk, waiting.pk])
    assert data.candidate_times == {tuesday.pk: tuesday, thursday.pk: thursday}


# --- The page ------------------------------------------------------------------------------------------------


def test_page_shows_groups_with_their_time_the_waitlist_and_reasons(client, programme, times):
    applicant(programme, times, "Ada Lovelace", [YES, NO], score=9, organisation="Oak Trust")
    applicant(programme, times, "Bo Diddley", [IF_NEED_BE, YES], score=8)
    applicant(programme, times, "Cy Twombly", [YES, NO], score=6, organisation="oak trust")
    applicant(programme, times, "Di Fosse", [NO, YES], score=2)
    applicant(programme, times, "Ed Sheeran", [NO, NO], score=10)
    client.force_login(StaffFactory())

    response = client.get(reverse("applications:selection_propose", args=[programme.slug]))

    assert response.status_code == 200
    assert [
        (g.number, g.time.label, [m.application.name for m in g.members], g.yes, g.if_need_be)
        for g in response.context["groups"]
    ] == [(1, "Tuesday 14:00–16:00", ["Ada Lovelace", "Bo Diddley"], 1, 1)]
    assert [(w.position, w.application.name, w.reason) for w in response.context["waiting"]] == [
        (
            1,
            "Cy Twombly",
            "A colleague from the same organisation is in the only group they can make, at Tuesday 14:00–16:00.",
        ),
        (2, "Ed Sheeran", "Said no to every time offered."),
        (3, "Di Fosse", "Can only make Thursday 10:00–12:00, which no group uses."),
    ]
    text = page_text(response)
    assert "1 group, 2 people placed" in text
    assert (
        "1 of them said yes to their group’s time. 5 applications considered (submitted or on the waitlist), groups of 2. No proposal under these rules places more."
        in text
    )
    assert "Group 1: Tuesday 14:00–16:00 2 people: 1 said yes, 1 if need be." in text
    assert "Waiting (3)" in text


def test_rules_from_the_form_change_the_proposal(client, programme, times):
    applicant(programme, times, "Ada Lovelace", [YES, NO], score=9, organisation="Oak Trust")
    applicant(programme, times, "Bo Diddley", [IF_NEED_BE, YES], score=8)
    applicant(programme, times, "Cy Twombly", [YES, NO], score=6, organisation="oak trust")
    applicant(programme, times, "Di Fosse", [NO, YES], score=2)
    client.force_login(StaffFactory())
    url = reverse("applications:selection_propose", args=[programme.slug])

    two_groups = client.get(url, {"groups": "2", "max_per_organisation": "2", "front_line_minimum": "0"})
    as_many_as_fill = client.get(url, {"groups": "", "max_per_organisation": "1", "front_line_minimum": "0"})

    assert [
        (g.time.label, [m.application.name for m in g.members]) for g in two_groups.context["groups"]
    ] == [
        ("Tuesday 14:00–16:00", ["Ada Lovelace", "Cy Twombly"]),
        ("Thursday 10:00–12:00", ["Bo Diddley", "Di Fosse"]),
    ]
    # Only full groups: Thursday would need Bo too, and Bo weighs more on Tuesday beside Ada.
    assert [
        (g.time.label, [m.application.name for m in g.members]) for g in as_many_as_fill.context["groups"]
    ] == [("Tuesday 14:00–16:00", ["Ada Lovelace", "Bo Diddley"])]


def test_rules_out_of_range_are_refused_without_a_proposal(client, programme, times):
    client.force_login(StaffFactory())

    response = client.get(
        reverse("applications:selection_propose", args=[programme.slug]),
        {"groups": "0", "max_per_organisation": "3", "front_line_minimum": "-1"},
    )

    assert response.status_code == 200
    assert "proposal" not in response.context
    assert response.context["form"].errors == {
        "groups": ["Ensure this value is greater than or equal to 1."],
        "max_per_organisation": ["A group holds 2 people; give 2 or fewer."],
        "front_line_minimum": ["Ensure this value is greater than or equal to 0."],
    }


def test_selection_page_links_to_the_proposal(client, programme):
    client.force_login(StaffFactory())

    response = client.get(reverse("applications:selection_programme", args=[programme.slug]))

    assert f'href="/selection/programmes/{programme.slug}/propose/"' in response.content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_page_queries_do_not_grow_with_the_applications(
    client, programme, times, django_assert_num_queries, count
):
    for n in range(count):
        applicant(programme, times, f"Person {n}", [YES, IF_NEED_BE], score=n % 11)
    client.force_login(StaffFactory())
    url = reverse("applications:selection_propose", args=[programme.slug])

    # 6, and 2 for the weeks the proposed groups would meet (their bank holidays on the heatmaps).
    with django_assert_num_queries(9):
        response = client.get(url)

    assert response.context["considered"] == count


# --- The manager's marks, the region and the heatmaps -----------------------------------------------------------


def test_composer_input_carries_the_region_and_the_managers_marks(programme, times):
    kept = applicant(
        programme, times, "Ada", [YES, None], region=Region.WALES, composer_mark=ComposerMark.INCLUDE
    )
    left = applicant(programme, times, "Bo", [YES, None], composer_mark=ComposerMark.EXCLUDE)

    data = composer_input(programme)

    assert [(a.id, a.region, a.include, a.exclude) for a in data.applicants] == [
        (kept.pk, Region.WALES, True, False),
        (left.pk, "", False, True),
    ]


def test_must_include_is_placed_and_excluded_is_never_placed_nor_waiting(client, programme, times):
    applicant(programme, times, "Ada Lovelace", [YES, NO], score=9)
    applicant(programme, times, "Bo Diddley", [YES, NO], score=8)
    applicant(programme, times, "Cy Twombly", [YES, NO], score=1, composer_mark=ComposerMark.INCLUDE)
    applicant(programme, times, "Ed Sheeran", [YES, YES], score=10, composer_mark=ComposerMark.EXCLUDE)
    client.force_login(StaffFactory())

    response = client.get(reverse("applications:selection_propose", args=[programme.slug]))

    assert [(g.time.label, [m.application.name for m in g.members]) for g in response.context["groups"]] == [
        ("Tuesday 14:00–16:00", ["Ada Lovelace", "Cy Twombly"])
    ]
    assert [(w.application.name, w.reason) for w in response.context["waiting"]] == [
        (
            "Bo Diddley",
            "The only group they can make, at Tuesday 14:00–16:00, is full, and those in it with a lower score "
            "are pinned, must be included or needed for the role mix.",
        )
    ]
    assert [a.name for a in response.context["excluded"]] == ["Ed Sheeran"]
    text = page_text(response)
    assert "Cy Twombly Must include" in text
    assert "Marked “exclude” (1) Never placed and not put on the waitlist." in text


def test_a_must_include_who_cannot_be_placed_is_named_with_the_reason(client, programme, times):
    applicant(
        programme, times, "Ada Lovelace", [YES, NO], organisation="Oak", composer_mark=ComposerMark.INCLUDE
    )
    applicant(
        programme, times, "Bo Diddley", [YES, NO], organisation="Oak", composer_mark=ComposerMark.INCLUDE
    )
    client.force_login(StaffFactory())

    response = client.get(reverse("applications:selection_propose", args=[programme.slug]))

    # One group, one person from Oak in it: the rule is kept for one of them and broken for the other.
    assert [[m.application.name for m in g.members] for g in response.context["groups"]] == [
        ["Ada Lovelace", "Bo Diddley"]
    ]
    assert response.context["broken_rules"] == ["2 people from oak in the group at Tuesday 14:00–16:00"]


def test_each_proposed_group_has_a_heatmap_of_its_peoples_answers_with_its_time_flagged(
    client, programme, times
):
    applicant(programme, times, "Ada Lovelace", [YES, NO], score=9, organisation="Oak", region=Region.LONDON)
    applicant(programme, times, "Bo Diddley", [IF_NEED_BE, YES], score=8)
    client.force_login(StaffFactory())

    response = client.get(reverse("applications:selection_propose", args=[programme.slug]))

    (group,) = response.context["groups"]
    assert group.heatmap["days"] == ["Tuesday", "Thursday"]
    assert [
        (
            time,
            [
                (cell.ranked.can_come, len(cell.ranked.yes), cell.level, cell.chosen, cell.top)
                if cell.ranked
                else None
                for cell in cells
            ],
        )
        for time, cells in group.heatmap["rows"]
    ] == [
        (datetime.time(10), [None, (1, 1, 2, False, False)]),
        (datetime.time(14), [(2, 1, 5, True, True), None]),
    ]
    text = page_text(response)
    assert "How many of the 2 people proposed can come, by day and start time" in text
    assert "2 1 yes · 1 if need be This group’s time Top choice" in text
    assert "Ada Lovelace Oak London Front-line 9 Yes" in text  # her region under her organisation
    assert 'aria-describedby="group-1-heatmap-help"' in response.content.decode()


def test_two_groups_at_the_same_time_share_one_pin_choice(client, programme, times):
    for name, score in [("Ada", 9), ("Bo", 8), ("Cy", 7), ("Di", 6)]:
        applicant(programme, times, name, [YES, NO], score=score, organisation=f"{name} Trust")
    client.force_login(StaffFactory())
    url = reverse("applications:selection_propose", args=[programme.slug])

    response = client.get(url, {"groups": "2", "max_per_organisation": "1", "front_line_minimum": "0"})

    groups = response.context["groups"]
    assert [(g.number, g.time.label, [m.application.name for m in g.members]) for g in groups] == [
        (1, "Tuesday 14:00–16:00", ["Ada", "Cy"]),
        (2, "Tuesday 14:00–16:00", ["Bo", "Di"]),
    ]
    assert [(c.value, c.label) for c in groups[0].members[0].choices] == [
        (groups[0].time.pk, "Pin to group 1 or 2")
    ]
