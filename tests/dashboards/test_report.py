"""The programme report and its CSV: the figures, withheld under five, quotes only with consent, safe cells."""

import csv
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.enums import QuestionKind
from applications.models import QuestionAnswer
from learning import services
from learning.enums import SurveyKind, Visibility
from learning.models import Survey
from tests.dashboards.conftest import build_world
from tests.factories import (
    ApplicationFactory,
    EntryFactory,
    MemberFactory,
    QuestionFactory,
    StaffFactory,
)


def _answer(survey, member, may_quote=False, **by_item):
    questions = {q.item: q.pk for q in survey.questions.all()}
    services.survey_response_save(
        survey=survey,
        member=member,
        answers={questions[item]: value for item, value in by_item.items()},
        may_quote=may_quote,
    )


@pytest.fixture
def report_world(db):
    return build_report_world()


def build_report_world():
    """Six members (sessions 1 and 2 attended by all); confidence before and at the end for all six (changes
    +1, +1, +1, 0, 0, -1: median +0.5, 3 of 6 up); five wrote an intention, two agreed to be quoted; one entry
    shared with the network."""
    world = build_world(6)
    world.others[0].organisation = "=HYPERLINK(1)"
    world.others[0].save(update_fields=["organisation"])
    for other, region in zip(world.others, ["wales", "wales", "london"], strict=False):
        other.region = region
        other.save(update_fields=["region"])
    services.outcome_items_set(programme=world.programme, items=["confidence", "intention"])
    surveys = {s.kind: s for s in Survey.objects.filter(programme=world.programme)}
    people = [world.me, *world.others]
    for n, (member, before, after) in enumerate(
        zip(people, [2, 3, 3, 4, 4, 5], [3, 4, 4, 4, 4, 4], strict=True)
    ):
        _answer(surveys[SurveyKind.BASELINE], member, confidence=before)
        if n < 5:
            _answer(
                surveys[SurveyKind.EVALUATION],
                member,
                confidence=after,
                intention=f"Intention {n}",
                may_quote=n in (0, 2),
            )
        else:
            _answer(surveys[SurveyKind.EVALUATION], member, confidence=after)
    EntryFactory(
        cohort=world.cohort,
        authors=[world.me.user],
        title="Walking groups that work",
        visibility=Visibility.NETWORK,
    )
    return world


def _get(client, world, name):
    with time_machine.travel(world.now, tick=False):
        client.force_login(StaffFactory())
        return client.get(reverse(name, kwargs={"slug": world.programme.slug}))


def test_the_report_shows_who_took_part_attendance_coffee_and_change(client, report_world):
    response = _get(client, report_world, "dashboards:report")

    report = response.context["report"]
    assert (report.members, report.by_role) == (6, [("I work directly in a front-line role", 6)])
    assert report.by_region == [("Not said", 3), ("Wales", 2), ("London", 1)]
    assert [(line.session.number, line.attended, line.members) for line in report.sessions] == [
        (1, 6, 6),
        (2, 6, 6),
    ]
    assert report.attendance_rate == "100%"
    assert [(line.round.number, line.pairs) for line in report.coffee] == [(1, 3), (2, 3)]
    [confidence, intention] = report.outcomes.items
    (words, change) = confidence.changes[0]
    assert (words, change.n, change.median_text, change.improved, change.improved_share) == (
        "Before to the end",
        6,
        "+0.5",
        3,
        "50%",
    )
    assert [quote.text for quote in intention.quotes] == ["Intention 0", "Intention 2"]
    assert [entry.title for entry in report.shared] == ["Walking groups that work"]
    page = response.content.decode()
    assert ("Intention 1" in page, "Intention 0" in page) == (False, True)


def test_the_csv_has_the_same_figures_in_safe_cells(client, report_world):
    response = _get(client, report_world, "dashboards:report_csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "What", "Figure", "Out of", "Share"]
    assert rows[1] == ["Who took part", "Members", "6", "", ""]
    assert ["Who took part: organisation", "'=HYPERLINK(1)", "1", "6", "17%"] in rows
    assert [row for row in rows if row[0] == "Who took part: region"] == [
        ["Who took part: region", "Not said", "3", "6", "50%"],
        ["Who took part: region", "Wales", "2", "6", "33%"],
        ["Who took part: region", "London", "1", "6", "17%"],
    ]
    changes = [row for row in rows if row[0].startswith("Change:")]
    assert changes[:2] == [
        [
            "Change: How confident do you feel about putting relationships and connections at the heart of your work?",
            "Before to the end: middle change",
            "0.5",
            "6",
            "",
        ],
        [
            "Change: How confident do you feel about putting relationships and connections at the heart of your work?",
            "Before to the end: went up",
            "3",
            "6",
            "50%",
        ],
    ]
    quotes = [row[2] for row in rows if row[0].startswith("Quote:")]
    assert quotes == ["Intention 0", "Intention 2"]


def test_the_report_withholds_figures_and_words_under_five(client, db):
    world = build_world(4)
    services.outcome_items_set(programme=world.programme, items=["confidence", "intention"])
    baseline = Survey.objects.get(programme=world.programme, kind=SurveyKind.BASELINE)
    for member in [world.me, *world.others]:
        _answer(baseline, member, confidence=2, intention="Only four of us", may_quote=True)

    page = _get(client, world, "dashboards:report").content.decode()
    rows = _get(client, world, "dashboards:report_csv").content.decode()

    assert ("Only four of us" in page, "Only four of us" in rows) == (False, False)
    assert "Not shown: fewer than 5 answers" in page


@pytest.mark.parametrize("extra", [1, 3])
def test_report_queries(client, report_world, django_assert_num_queries, extra):
    for _ in range(extra):
        MemberFactory(cohort=report_world.cohort)
    with time_machine.travel(report_world.now, tick=False):
        client.force_login(StaffFactory())
        with django_assert_num_queries(20):
            client.get(reverse("dashboards:report", kwargs={"slug": report_world.programme.slug}))


ORGANISATION_TYPES = "Charity or voluntary group\nLocal authority\nHealth (NHS)"


def _counted_questions(world):
    """Three questions counted in the report, one of each kind that can be; a fourth not counted; answers by
    members and by someone who did not take part (not counted)."""
    me, first, second, third = world.me, *world.others[:3]
    programme = world.programme
    kind = QuestionFactory(
        programme=programme,
        kind=QuestionKind.ONE_CHOICE,
        label="Type of organisation",
        choices=ORGANISATION_TYPES,
        counted_in_report=True,
        order=1,
    )
    before = QuestionFactory(
        programme=programme, kind=QuestionKind.YES_NO, label="Been before?", counted_in_report=True, order=2
    )
    work = QuestionFactory(
        programme=programme,
        kind=QuestionKind.SEVERAL_CHOICES,
        label="Your work",
        choices="Befriending\nFood bank",
        counted_in_report=True,
        order=3,
    )
    borough = QuestionFactory(programme=programme, kind=QuestionKind.ONE_CHOICE, choices="A\nB", order=4)
    outsider = ApplicationFactory(programme=programme)
    for application, question, text in [
        (me, kind, "Charity or voluntary group"),
        (first, kind, "Charity or voluntary group"),
        (second, kind, "Local authority"),
        (outsider, kind, "Health (NHS)"),
        (me, before, "yes"),
        (first, before, "no"),
        (second, before, "yes"),
        (me, work, "Befriending\nFood bank"),
        (third, work, "Food bank"),
        (me, borough, "A"),
    ]:
        QuestionAnswer.objects.create(application=application, question=question, text=text)
    return [kind, before, work]


def test_the_report_counts_members_by_each_question_marked(client, report_world):
    _counted_questions(report_world)

    response = _get(client, report_world, "dashboards:report")
    rows = list(
        csv.reader(
            io.StringIO(_get(client, report_world, "dashboards:report_csv").content.decode("utf-8-sig"))
        )
    )

    assert [(table.question.label, table.counts) for table in response.context["report"].by_question] == [
        (
            "Type of organisation",
            [
                ("Charity or voluntary group", 2),
                ("Local authority", 1),
                ("Health (NHS)", 0),
                ("Not answered", 3),
            ],
        ),
        ("Been before?", [("Yes", 2), ("No", 1), ("Not answered", 3)]),
        ("Your work", [("Befriending", 1), ("Food bank", 2), ("Not answered", 4)]),
    ]
    html = " ".join(response.content.decode().split())
    assert (
        '<caption>Type of organisation</caption> <thead> <tr> <th scope="col">Answer</th> '
        '<th scope="col">Members</th> </tr> </thead> <tbody> <tr> '
        '<th scope="row">Charity or voluntary group</th> <td>2</td> </tr>'
    ) in html
    assert [
        row for row in rows if row[0].startswith("Who took part: ") and row[0][15:] not in WHO_BUILT_IN
    ] == [
        ["Who took part: Type of organisation", "Charity or voluntary group", "2", "6", "33%"],
        ["Who took part: Type of organisation", "Local authority", "1", "6", "17%"],
        ["Who took part: Type of organisation", "Health (NHS)", "0", "6", "0%"],
        ["Who took part: Type of organisation", "Not answered", "3", "6", "50%"],
        ["Who took part: Been before?", "Yes", "2", "6", "33%"],
        ["Who took part: Been before?", "No", "1", "6", "17%"],
        ["Who took part: Been before?", "Not answered", "3", "6", "50%"],
        ["Who took part: Your work", "Befriending", "1", "6", "17%"],
        ["Who took part: Your work", "Food bank", "2", "6", "33%"],
        ["Who took part: Your work", "Not answered", "4", "6", "67%"],
    ]


WHO_BUILT_IN = ("role", "region", "organisation")


def test_the_report_without_questions_marked_has_no_tables_of_them(client, report_world):
    QuestionFactory(programme=report_world.programme, kind=QuestionKind.YES_NO, label="Been before?")

    response = _get(client, report_world, "dashboards:report")

    assert response.context["report"].by_question == []
    assert "Been before?" not in response.content.decode()


@pytest.mark.parametrize("marked", [1, 3])
def test_report_queries_with_questions_counted(client, report_world, django_assert_num_queries, marked):
    for question in _counted_questions(report_world)[marked:]:
        question.counted_in_report = False
        question.save(update_fields=["counted_in_report"])
    with time_machine.travel(report_world.now, tick=False):
        client.force_login(StaffFactory())
        with django_assert_num_queries(21):
            client.get(reverse("dashboards:report", kwargs={"slug": report_world.programme.slug}))
        with django_assert_num_queries(21):
            client.get(reverse("dashboards:report_csv", kwargs={"slug": report_world.programme.slug}))


def test_the_map_reconciles_with_ticks_coffee_pairs_and_attendance(client, report_world):
    from django.utils import timezone

    from learning.models import AdviceContact
    from pairings.models import PairMember

    world = report_world
    people = [world.me, *world.others]
    baseline, evaluation = (
        Survey.objects.get(programme=world.programme, kind=kind) for kind in ("baseline", "evaluation")
    )
    services.survey_response_save(survey=baseline, member=people[0], answers={}, contacts=[people[1].pk])
    services.survey_response_save(survey=evaluation, member=people[0], answers={}, contacts=[people[1].pk])
    services.survey_response_save(survey=evaluation, member=people[3], answers={}, contacts=[people[2].pk])
    met = PairMember.objects.filter(round=world.rounds[0]).order_by("pk").first()
    met.met_at = timezone.now()
    met.save(update_fields=["met_at"])
    pair = sorted(met.pair.memberships.values_list("member_id", flat=True))
    expected_after = {frozenset({people[0].pk, people[1].pk}), frozenset({people[2].pk, people[3].pk})}
    expected_after |= {frozenset(p) for p in [(a, b) for i, a in enumerate(pair) for b in pair[i + 1 :]]}

    response = _get(client, world, "dashboards:report")

    [group] = response.context["report"].maps
    assert AdviceContact.objects.count() == 3
    assert (group.before.possible, group.before.connected, group.before.unconnected_people) == (15, 1, 4)
    assert (group.after.connected, group.after.unconnected_people) == (
        len(expected_after),
        6 - len({p for tie in expected_after for p in tie}),
    )
    # Sessions 1 and 2 were attended by all six: every pair came to a session together.
    assert group.together == 15
    assert "who is connected before" in response.content.decode()


def test_members_choose_only_from_their_group_and_see_only_their_own_ticks(client, report_world):
    world = report_world
    people = [world.me, *world.others]
    baseline = Survey.objects.get(programme=world.programme, kind="baseline")
    services.survey_response_save(survey=baseline, member=people[0], answers={}, contacts=[people[1].pk])
    services.survey_response_save(survey=baseline, member=people[1], answers={}, contacts=[people[2].pk])
    stranger = MemberFactory()
    url = reverse("learning:survey", kwargs={"pk": baseline.pk})

    with time_machine.travel(world.now, tick=False):
        client.force_login(people[1].user)
        page = client.get(url)
        refused = client.post(url, {"contacts": [stranger.pk]})

    form = page.context["form"]
    assert [value for value, _ in form.fields["contacts"].choices] == [
        p.pk for p in sorted(people[:1] + people[2:], key=lambda p: (p.name, p.pk))
    ]
    # Their own tick only: nothing says that Morgan ticked them.
    assert form.initial["contacts"] == [people[2].pk]
    assert refused.context["form"].errors["contacts"][0].startswith("Select a valid choice.")
    with pytest.raises(ValidationError):
        services.survey_response_save(survey=baseline, member=people[1], answers={}, contacts=[stranger.pk])
