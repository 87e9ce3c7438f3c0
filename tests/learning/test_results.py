import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from applications.enums import QuestionKind as ApplicationQuestionKind
from applications.models import QuestionAnswer
from applications.services import builtin_questions_ensure
from learning import services
from learning.enums import QuestionKind
from learning.models import SurveyQuestion
from sessions_app.enums import AttendanceStatus, SessionStatus
from tests.factories import (
    AttendanceFactory,
    MemberFactory,
    QuestionFactory,
    SessionFactory,
    SessionFeedbackFactory,
)


@pytest.fixture
def feedback(cohort):
    session = SessionFactory(cohort=cohort, number=1)
    ada = MemberFactory(cohort=cohort, name="Ada", organisation="Tea Club")
    ben = MemberFactory(cohort=cohort, name="Ben", organisation="Walk Well")
    cy = MemberFactory(cohort=cohort, name="Cy")
    for member in (ada, ben, cy):
        AttendanceFactory(session=session, member=member, status=AttendanceStatus.ATTENDED)
    SessionFeedbackFactory(session=session, member=ada, rating=5, what_worked="Pairs", what_to_change="")
    SessionFeedbackFactory(
        session=session, member=ben, rating=2, what_worked="", what_to_change='=HYPERLINK("x") shorter intros'
    )
    return session


def test_programme_results_show_average_and_distribution(client, people, feedback):
    client.force_login(people["manager"])

    response = client.get(reverse("learning:results", kwargs={"slug": feedback.cohort.programme.slug}))

    [row] = response.context["rows"]
    assert (row["session"].attended_count, row["session"].feedback_count) == (3, 2)
    assert (row["summary"].count, row["summary"].average, row["summary"].distribution) == (
        2,
        3.5,
        {1: 0, 2: 1, 3: 0, 4: 0, 5: 1},
    )
    html = response.content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2
    assert "style=" not in html.split("<main")[1]


def test_programme_results_list_sessions_in_date_order_with_a_cancelled_one_marked(client, people, feedback):
    moved_earlier = SessionFactory(
        cohort=feedback.cohort, number=3, starts_at=feedback.starts_at - datetime.timedelta(days=1)
    )
    SessionFactory(cohort=feedback.cohort, number=2, status=SessionStatus.CANCELLED)
    client.force_login(people["manager"])

    response = client.get(reverse("learning:results", kwargs={"slug": feedback.cohort.programme.slug}))

    assert [(row["session"].number, row["session"].is_cancelled) for row in response.context["rows"]] == [
        (moved_earlier.number, False),
        (1, False),
        (2, True),
    ]
    assert response.content.decode().count('<span class="badge text-bg-danger">Cancelled</span>') == 1


def test_session_results_show_open_answers(client, people, feedback):
    client.force_login(people["manager"])

    response = client.get(reverse("learning:session_results", kwargs={"session_id": feedback.pk}))

    assert [(a.member.name, a.what_worked, a.what_to_change) for a in response.context["answers"]] == [
        ("Ada", "Pairs", ""),
        ("Ben", "", '=HYPERLINK("x") shorter intros'),
    ]
    assert (response.context["attended"], response.context["summary"].average) == (3, 3.5)


def test_feedback_csv_is_exact_and_formula_safe(client, people, feedback):
    client.force_login(people["manager"])

    response = client.get(reverse("learning:results_csv", kwargs={"slug": feedback.cohort.programme.slug}))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert [row[:8] for row in rows] == [
        ["Group", "Session", "Date", "Member", "Organisation", "Rating", "What worked", "What to change"],
        ["Group 1", "1", rows[1][2], "Ada", "Tea Club", "5", "Pairs", ""],
        ["Group 1", "1", rows[1][2], "Ben", "Walk Well", "2", "", '\'=HYPERLINK("x") shorter intros'],
    ]


def test_survey_results_and_csv(client, people, cohort):
    ada = MemberFactory(cohort=cohort, name="Ada", hopes="To feel less alone in this work.")
    ben = MemberFactory(cohort=cohort, name="Ben", hopes="New ideas for\nwalking groups.")
    [midpoint, _] = services.surveys_ensure_defaults(programme=cohort.programme)
    useful, gained, connected, change = midpoint.questions.all()
    services.survey_response_save(
        survey=midpoint, member=ada, answers={useful.pk: 4, gained.pk: "Confidence"}
    )
    services.survey_response_save(survey=midpoint, member=ben, answers={useful.pk: 2, connected.pk: 5})
    client.force_login(people["manager"])

    page = client.get(reverse("learning:survey_results", kwargs={"pk": midpoint.pk}))
    export = client.get(reverse("learning:survey_csv", kwargs={"pk": midpoint.pk}))

    summaries = [
        (r["question"].text, r["summary"].average if r["summary"] else [a.text for a in r["answers"]])
        for r in page.context["results"]
    ]
    assert summaries == [
        ("How useful have the sessions been so far?", 3.0),
        ("What have you gained so far?", ["Confidence"]),
        ("How connected do you feel to other members of the group?", 5.0),
        ("What would you change for the sessions that are left?", []),
    ]
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [row[:2] + row[3:4] + row[5:] for row in rows] == [
        [
            "Group",
            "Member",
            "What they hoped to achieve",
            *[q.text for q in (useful, gained, connected, change)],
        ],
        ["Group 1", "Ada", "To feel less alone in this work.", "4", "Confidence", "", ""],
        ["Group 1", "Ben", "New ideas for\nwalking groups.", "2", "", "5", ""],
    ]
    members = [
        (m.response.member.name, m.hopes, [(q.text, answer) for q, answer in m.answers])
        for m in page.context["members"]
    ]
    assert members == [
        (
            "Ada",
            "To feel less alone in this work.",
            [(useful.text, "4"), (gained.text, "Confidence"), (connected.text, ""), (change.text, "")],
        ),
        (
            "Ben",
            "New ideas for\nwalking groups.",
            [(useful.text, "2"), (gained.text, ""), (connected.text, "5"), (change.text, "")],
        ),
    ]
    html = " ".join(page.content.decode().split())
    assert (
        '<p class="small text-body-secondary mb-1">What they hoped to achieve, when they applied:</p> '
        '<blockquote class="mb-0"> <p>New ideas for<br>walking groups.</p> </blockquote>'
    ) in html


@pytest.mark.parametrize(
    ("label", "heading", "members_heading", "beside"),
    [
        (
            "What do you hope to take back to your team?",
            "What do you hope to take back to your team?",
            "Each member: their answer to “What do you hope to take back to your team?”, and their answers",
            '<h4 class="small text-body-secondary mb-1">What do you hope to take back to your team?</h4>',
        ),
        (
            "What do you hope to achieve?",  # as the brief words it: the usual heading
            "",
            "Each member: what they hoped to achieve, and their answers",
            '<p class="small text-body-secondary mb-1">What they hoped to achieve, when they applied:</p>',
        ),
    ],
    ids=["reworded", "as the brief words it"],
)
def test_survey_results_head_the_hopes_with_the_programmes_wording(
    client, people, cohort, label, heading, members_heading, beside
):
    programme = cohort.programme
    builtin_questions_ensure(programme=programme)
    programme.questions.filter(builtin="hopes").update(label=label)
    ada = MemberFactory(cohort=cohort, name="Ada", hopes="Ideas my team can try.")
    [midpoint, _] = services.surveys_ensure_defaults(programme=programme)
    useful = midpoint.questions.filter(kind=QuestionKind.RATING).first()
    services.survey_response_save(survey=midpoint, member=ada, answers={useful.pk: 4})
    client.force_login(people["manager"])

    page = client.get(reverse("learning:survey_results", kwargs={"pk": midpoint.pk}))
    export = client.get(reverse("learning:survey_csv", kwargs={"pk": midpoint.pk}))

    assert page.context["hopes_heading"] == heading
    assert [(m.response.member.name, m.hopes) for m in page.context["members"]] == [
        ("Ada", "Ideas my team can try.")
    ]
    html = " ".join(page.content.decode().split())
    assert re.findall(r'<h2 class="h4" id="members-heading"> (.*?) </h2>', html) == [members_heading]
    assert html.count(f'{beside} <blockquote class="mb-0"> <p>Ideas my team can try.</p> </blockquote>') == 1
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [row[1:4] for row in rows] == [
        ["Member", "Organisation", heading or "What they hoped to achieve"],
        ["Ada", rows[1][2], "Ideas my team can try."],
    ]


def _evaluation_with_a_question_beside_hopes(cohort, members: int):
    """An evaluation answered by Ada (who answered the marked question) and `members - 1` others who did not."""
    programme = cohort.programme
    QuestionFactory(programme=programme, kind=ApplicationQuestionKind.YES_NO, label="Been before?")
    marked = QuestionFactory(
        programme=programme,
        kind=ApplicationQuestionKind.SEVERAL_CHOICES,
        label="What would make it worth your while?",
        choices="New contacts\nIdeas to try\nTime to think",
        shown_beside_hopes=True,
    )
    ada = MemberFactory(cohort=cohort, name="Ada", hopes="To feel less alone in this work.")
    QuestionAnswer.objects.create(application=ada, question=marked, text="New contacts\nTime to think")
    others = [
        MemberFactory(cohort=cohort, name=f"Ben {n}", hopes="Built-in hopes") for n in range(members - 1)
    ]
    [_, evaluation] = services.surveys_ensure_defaults(programme=programme)
    first = evaluation.questions.filter(kind=QuestionKind.RATING).first()
    for member in [ada, *others]:
        services.survey_response_save(survey=evaluation, member=member, answers={first.pk: 4})
    return evaluation


def test_evaluation_results_show_the_question_marked_beside_hopes_instead(client, people, cohort):
    evaluation = _evaluation_with_a_question_beside_hopes(cohort, members=2)
    client.force_login(people["manager"])

    page = client.get(reverse("learning:survey_results", kwargs={"pk": evaluation.pk}))
    export = client.get(reverse("learning:survey_csv", kwargs={"pk": evaluation.pk}))

    assert page.context["hopes_heading"] == "What would make it worth your while?"
    assert [(m.response.member.name, m.hopes) for m in page.context["members"]] == [
        ("Ada", "New contacts; Time to think"),
        ("Ben 0", ""),
    ]
    html = " ".join(page.content.decode().split())
    assert (
        '<h4 class="small text-body-secondary mb-1">What would make it worth your while?</h4> '
        '<blockquote class="mb-0"> <p>New contacts; Time to think</p> </blockquote>'
    ) in html
    assert (
        '<h4 class="small text-body-secondary mb-1">What would make it worth your while?</h4> '
        '<blockquote class="mb-0"> <p>No answer</p> </blockquote>'
    ) in html
    assert ("Built-in hopes" in html, "What they hoped to achieve" in html) == (False, False)
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [row[1:4] for row in rows] == [
        ["Member", "Organisation", "What would make it worth your while?"],
        ["Ada", rows[1][2], "New contacts; Time to think"],
        ["Ben 0", rows[2][2], ""],
    ]


@pytest.mark.parametrize("members", [1, 3])
def test_evaluation_results_beside_hopes_queries(client, people, cohort, django_assert_num_queries, members):
    evaluation = _evaluation_with_a_question_beside_hopes(cohort, members=members)
    client.force_login(people["manager"])

    with django_assert_num_queries(11):
        client.get(reverse("learning:survey_results", kwargs={"pk": evaluation.pk}))
    with django_assert_num_queries(9):
        client.get(reverse("learning:survey_csv", kwargs={"pk": evaluation.pk}))


RESULT_PAGES = [
    "results",
    "results_csv",
    "session_results",
    "survey_results",
    "survey_csv",
    "survey_edit",
    "manage",
]


@pytest.mark.parametrize("page", RESULT_PAGES)
@pytest.mark.parametrize("role", ["anonymous", "same_cohort", "author"])
def test_results_are_the_managers_only(client, people, feedback, role, page):
    [survey, _] = services.surveys_ensure_defaults(programme=feedback.cohort.programme)
    kwargs = {
        "results": {"slug": feedback.cohort.programme.slug},
        "results_csv": {"slug": feedback.cohort.programme.slug},
        "session_results": {"session_id": feedback.pk},
        "survey_results": {"pk": survey.pk},
        "survey_csv": {"pk": survey.pk},
        "survey_edit": {"pk": survey.pk},
        "manage": {},
    }[page]
    if people[role]:
        client.force_login(people[role])
    url = reverse(f"learning:{page}", kwargs=kwargs)

    response = client.get(url)

    if role == "anonymous":  # signed out: to sign in and back, as a manager whose session timed out
        assert (response.status_code, response["Location"]) == (302, f"{reverse('account_login')}?next={url}")
    else:
        assert response.status_code == 404


def test_manager_edits_questions_and_answered_ones_are_retired_not_lost(client, people, cohort):
    ada = MemberFactory(cohort=cohort)
    [midpoint, _] = services.surveys_ensure_defaults(programme=cohort.programme)
    q1, q2, q3, q4 = midpoint.questions.all()
    services.survey_response_save(survey=midpoint, member=ada, answers={q1.pk: 3})
    client.force_login(people["manager"])
    data = {
        "title": "Half-way",
        "intro": "How is it going?",
        "opens_after_session": "3",
        "questions-TOTAL_FORMS": "5",
        "questions-INITIAL_FORMS": "4",
    }
    rows = [
        (q1.pk, q1.text, "rating", "on"),  # answered: retired
        (q2.pk, "What have you learned?", "text", ""),
        (q3.pk, q3.text, "rating", ""),
        (q4.pk, q4.text, "text", "on"),  # unanswered: deleted
        ("", "Anything else?", "text", ""),
    ]
    for n, (pk, text, kind, delete) in enumerate(rows):
        data |= {f"questions-{n}-id": pk, f"questions-{n}-text": text, f"questions-{n}-kind": kind}
        data |= {f"questions-{n}-order": n, f"questions-{n}-help_text": ""}
        if delete:
            data[f"questions-{n}-DELETE"] = "on"

    response = client.post(reverse("learning:survey_edit", kwargs={"pk": midpoint.pk}), data)

    assert response.status_code == 302
    midpoint.refresh_from_db()
    assert midpoint.title == "Half-way"
    assert list(SurveyQuestion.objects.filter(survey=midpoint).values_list("text", "kind", "is_active")) == [
        (q1.text, QuestionKind.RATING, False),
        ("What have you learned?", QuestionKind.TEXT, True),
        (q3.text, QuestionKind.RATING, True),
        ("Anything else?", QuestionKind.TEXT, True),
    ]
