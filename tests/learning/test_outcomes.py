"""Before, after and later: the shared outcome items, paired change, suppression under five, the follow-up."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from learning import outcomes, services
from learning.enums import SurveyKind
from learning.evidence import outcome_results
from learning.models import Survey, SurveyQuestion
from learning.outcomes import PairedChange, paired_change
from tests.factories import MemberFactory, SessionFactory, StaffFactory
from tests.learning.test_feedback import dispatch_at

# --- The arithmetic, against figures worked out by hand -------------------------------------------------------


def test_paired_change_pairs_the_same_people_only():
    # Persons 1-6 answered before; 2-7 after. Pairs: 2: 2->4 (+2), 3: 3->3 (0), 4: 4->3 (-1), 5: 1->3 (+2),
    # 6: 2->3 (+1). Sorted changes -1, 0, 1, 2, 2: median 1; 3 of 5 went up, 1 stayed, 1 went down.
    before = {1: 5, 2: 2, 3: 3, 4: 4, 5: 1, 6: 2}
    after = {2: 4, 3: 3, 4: 3, 5: 3, 6: 3, 7: 5}

    change = paired_change(before, after)

    assert change == PairedChange(n=5, median_change=1, improved=3, same=1, worse=1)
    assert (change.shown, change.improved_share, change.median_text) == (True, "60%", "+1")


def test_paired_change_median_of_an_even_count_is_the_mean_of_the_middle_two():
    # Changes +1, +1, 0, -1, +2, +3: sorted -1, 0, 1, 1, 2, 3; middle two 1 and 1... use 0 and 1 instead:
    before = {1: 3, 2: 3, 3: 3, 4: 3, 5: 3, 6: 3}
    after = {1: 2, 2: 3, 3: 3, 4: 4, 5: 5, 6: 5}  # -1, 0, 0, +1, +2, +2: middle two 0 and 1

    change = paired_change(before, after)

    assert (change.n, change.median_change, change.median_text, change.improved_share) == (
        6,
        0.5,
        "+0.5",
        "50%",
    )


def test_paired_change_of_four_people_is_not_shown():
    change = paired_change({1: 1, 2: 1, 3: 1, 4: 1}, {1: 5, 2: 5, 3: 5, 4: 5})

    assert (change.n, change.shown) == (4, False)


def test_paired_change_with_nobody_in_both():
    assert paired_change({1: 3}, {2: 4}) == PairedChange(n=0, median_change=None, improved=0, same=0, worse=0)


# --- Choosing the items ----------------------------------------------------------------------------------


@pytest.fixture
def programme(cohort):
    return cohort.programme


def _questions(programme, kind):
    return list(
        SurveyQuestion.objects.filter(survey__programme=programme, survey__kind=kind, is_active=True)
        .exclude(item="")
        .order_by("order")
        .values_list("item", "kind")
    )


def test_choosing_items_puts_them_in_the_baseline_the_evaluation_and_the_follow_up(programme):
    services.outcome_items_set(
        programme=programme,
        items=["knowledge", "intention", "changes"],
        own_ratings=["How much do you enjoy your work?"],
        own_open=[],
    )

    assert _questions(programme, SurveyKind.BASELINE) == [
        ("knowledge", "rating"),
        ("intention", "text"),
        ("own-how-much-do-you-enjoy-your-work", "rating"),
    ]
    assert _questions(programme, SurveyKind.EVALUATION) == [
        ("knowledge", "rating"),
        ("intention", "text"),
        ("own-how-much-do-you-enjoy-your-work", "rating"),
    ]
    assert _questions(programme, SurveyKind.FOLLOW_UP) == [
        ("knowledge", "rating"),
        ("changes", "text"),
        ("own-how-much-do-you-enjoy-your-work", "rating"),
    ]
    follow_up = Survey.objects.get(programme=programme, kind=SurveyKind.FOLLOW_UP)
    assert (follow_up.follow_up_days, follow_up.opens_after_session) == (90, programme.session_count)


def test_choosing_again_changes_nothing_and_dropping_an_item_retires_it_where_answered(programme, cohort):
    services.outcome_items_set(programme=programme, items=["knowledge", "skills"])
    baseline = Survey.objects.get(programme=programme, kind=SurveyKind.BASELINE)
    skills = baseline.questions.get(item="skills")
    services.survey_response_save(
        survey=baseline, member=MemberFactory(cohort=cohort), answers={skills.pk: 4}
    )

    services.outcome_items_set(programme=programme, items=["knowledge", "skills"])
    count = SurveyQuestion.objects.filter(survey__programme=programme).exclude(item="").count()
    services.outcome_items_set(programme=programme, items=["knowledge"])

    assert count == 6
    assert _questions(programme, SurveyKind.BASELINE) == [("knowledge", "rating")]
    skills.refresh_from_db()
    assert skills.is_active is False  # kept, with its answer
    assert list(SurveyQuestion.objects.filter(survey__kind=SurveyKind.EVALUATION, item="skills")) == []


# --- Results: paired change and suppression --------------------------------------------------------------


@pytest.fixture
def sessions(cohort):
    return [SessionFactory(cohort=cohort, number=n) for n in range(1, 7)]


def _answer(survey, member, **answers_by_item):
    questions = {q.item: q.pk for q in survey.questions.all()}
    may_quote = answers_by_item.pop("may_quote", False)
    services.survey_response_save(
        survey=survey,
        member=member,
        answers={questions[item]: value for item, value in answers_by_item.items()},
        may_quote=may_quote,
    )


def _surveys(programme):
    services.outcome_items_set(programme=programme, items=["confidence", "intention"])
    return {s.kind: s for s in Survey.objects.filter(programme=programme)}


def test_results_pair_each_persons_before_and_after(programme, cohort, sessions):
    surveys = _surveys(programme)
    members = [MemberFactory(cohort=cohort) for _ in range(6)]
    # Before 2, 2, 3, 3, 4, (5: no end answer). End 4, 3, 3, 2, 5. Changes +2, +1, 0, -1, +1: median +1, 3 of 5.
    for member, before in zip(members, [2, 2, 3, 3, 4, 5], strict=True):
        _answer(surveys[SurveyKind.BASELINE], member, confidence=before)
    for member, after in zip(members[:5], [4, 3, 3, 2, 5], strict=True):
        _answer(surveys[SurveyKind.EVALUATION], member, confidence=after)

    with time_machine.travel(sessions[-1].ends_at + timedelta(days=1), tick=False):
        results = outcome_results(programme, now=timezone.now())

    [confidence, _intention] = results.items
    assert [(a.title, a.count, a.median) for a in confidence.per_survey] == [
        ("Before we start", 6, 3),
        ("End-of-programme evaluation", 5, 3),
        ("Three months on", 0, None),
    ]
    [(words, change), (later_words, later)] = confidence.changes
    assert (words, change.n, change.median_text, change.improved, change.improved_share) == (
        "Before to the end",
        5,
        "+1",
        3,
        "60%",
    )
    assert (later_words, later.n, later.shown) == ("Before to the follow-up", 0, False)
    assert [(r.survey.kind, r.asked, r.answered, r.rate) for r in results.rates] == [
        (SurveyKind.BASELINE, 6, 6, "100%"),
        (SurveyKind.EVALUATION, 6, 5, "83%"),
        (SurveyKind.FOLLOW_UP, 0, 0, "–"),
    ]


def test_four_answers_show_no_figures_and_no_words(programme, cohort, sessions, client):
    surveys = _surveys(programme)
    for n in range(4):
        member = MemberFactory(cohort=cohort)
        _answer(
            surveys[SurveyKind.BASELINE], member, confidence=1, intention=f"Secret plan {n}", may_quote=True
        )
        _answer(surveys[SurveyKind.EVALUATION], member, confidence=5)

    with time_machine.travel(sessions[-1].ends_at + timedelta(days=1), tick=False):
        client.force_login(StaffFactory())
        response = client.get(reverse("learning:outcomes", kwargs={"slug": programme.slug}))

    [confidence, intention] = response.context["results"].items
    assert [(a.count, a.median) for a in confidence.per_survey] == [(4, None), (4, None), (0, None)]
    assert confidence.changes[0][1].shown is False
    assert (intention.quotes, intention.quotes_withheld) == ([], True)
    page = response.content.decode()
    assert "Secret plan" not in page
    assert page.count("Not shown: fewer than 5 answers") == 3
    assert page.count("Not shown: fewer than 5 people answered both") == 2


def test_five_answers_quote_only_those_who_agreed(programme, cohort, sessions):
    surveys = _surveys(programme)
    for n in range(5):
        _answer(
            surveys[SurveyKind.BASELINE],
            MemberFactory(cohort=cohort),
            intention=f"Plan {n}",
            may_quote=n in (1, 3),
        )

    results = outcome_results(programme, now=sessions[-1].ends_at)

    intention = results.items[1]
    assert [(q.survey_title, q.text) for q in intention.quotes] == [
        ("Before we start", "Plan 1"),
        ("Before we start", "Plan 3"),
    ]


def test_members_answer_with_anchored_words_and_choose_whether_to_be_quoted(
    programme, cohort, sessions, client
):
    surveys = _surveys(programme)
    member = MemberFactory(cohort=cohort)
    baseline = surveys[SurveyKind.BASELINE]
    confidence = baseline.questions.get(item="confidence")
    intention = baseline.questions.get(item="intention")

    with time_machine.travel(sessions[0].starts_at - timedelta(days=2), tick=False):
        client.force_login(member.user)
        url = reverse("learning:survey", kwargs={"pk": baseline.pk})
        page = client.get(url)
        response = client.post(
            url, {f"q{confidence.pk}": "2", f"q{intention.pk}": "Try walks.", "may_quote": "on"}
        )

    assert [label for _, label in page.context["form"].fields[f"q{confidence.pk}"].choices] == [
        "1: Not at all",
        "2: A little",
        "3: Somewhat",
        "4: Quite",
        "5: Very",
    ]
    assert response.status_code == 302
    saved = baseline.responses.get(member=member)
    assert (
        saved.may_quote,
        list(saved.answers.order_by("question__order").values_list("rating", "text")),
    ) == (
        True,
        [(2, ""), (None, "Try walks.")],
    )


def test_the_baseline_opens_a_week_before_the_first_session(programme, cohort, sessions, client):
    baseline = _surveys(programme)[SurveyKind.BASELINE]
    user = MemberFactory(cohort=cohort).user
    url = reverse("learning:survey", kwargs={"pk": baseline.pk})
    opens = sessions[0].starts_at - timedelta(days=7)

    with time_machine.travel(opens - timedelta(minutes=1), tick=False):
        client.force_login(user)
        early = client.get(url)
    with time_machine.travel(opens, tick=False):
        on_time = client.get(url)

    assert (early.status_code, on_time.status_code) == (404, 200)


# --- The follow-up: emailed once, at 9:00 in the programme's zone ----------------------------------------


def test_the_follow_up_is_emailed_once_at_nine_in_the_programmes_zone(
    cohort, django_capture_on_commit_callbacks
):
    programme = cohort.programme
    programme.timezone = "America/New_York"
    programme.save(update_fields=["timezone"])
    last = SessionFactory(cohort=cohort, number=programme.session_count)
    MemberFactory(cohort=cohort, email="ada@example.org")
    services.outcome_items_set(programme=programme, items=["confidence"])
    follow_up = Survey.objects.get(programme=programme, kind=SurveyKind.FOLLOW_UP)
    # Remove the other surveys' invitations from the picture: answered already.
    day = last.ends_at.astimezone(programme.tz).date() + timedelta(days=90)
    nine = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=programme.tz)

    before = dispatch_at(nine - timedelta(minutes=1), django_capture_on_commit_callbacks)
    at_nine = dispatch_at(nine, django_capture_on_commit_callbacks)
    again = dispatch_at(nine + timedelta(minutes=5), django_capture_on_commit_callbacks)

    assert before == []
    assert at_nine == [("ada@example.org", "Three months on: tell us how it went")]
    assert again == []
    assert follow_up.opens_at(last.starts_at, last.ends_at, programme.tz) == nine


def test_a_shorter_follow_up_follows_the_managers_choice(cohort, django_capture_on_commit_callbacks):
    programme = cohort.programme
    last = SessionFactory(cohort=cohort, number=programme.session_count)
    MemberFactory(cohort=cohort, email="ben@example.org")
    services.outcome_items_set(programme=programme, items=["confidence"])
    follow_up = Survey.objects.get(programme=programme, kind=SurveyKind.FOLLOW_UP)
    services.survey_update(
        survey=follow_up,
        title=follow_up.title,
        intro=follow_up.intro,
        opens_after_session=follow_up.opens_after_session,
        follow_up_days=30,
    )
    day = last.ends_at.astimezone(programme.tz).date() + timedelta(days=30)
    nine = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=programme.tz)

    assert dispatch_at(nine, django_capture_on_commit_callbacks) == [
        ("ben@example.org", "Three months on: tell us how it went")
    ]


# --- The manager's page ----------------------------------------------------------------------------------


def test_the_manager_chooses_the_items_on_the_page(programme, client):
    client.force_login(StaffFactory())
    url = reverse("learning:outcomes", kwargs={"slug": programme.slug})

    first = client.get(url)
    response = client.post(
        url, {"items": ["knowledge", "skills"], "own_ratings": "", "own_open": "What surprised you?\n"}
    )

    assert first.context["form"].initial["items"] == list(outcomes.DEFAULT_ITEMS)
    assert response.headers["Location"] == url
    assert _questions(programme, SurveyKind.FOLLOW_UP) == [
        ("knowledge", "rating"),
        ("skills", "rating"),
        ("own-what-surprised-you", "text"),
    ]


def test_choosing_nothing_says_so_next_to_the_list(programme, client):
    client.force_login(StaffFactory())

    response = client.post(
        reverse("learning:outcomes", kwargs={"slug": programme.slug}), {"own_ratings": "", "own_open": ""}
    )

    assert response.context["form"].errors == {"items": ["Choose at least one question."]}
    assert list(Survey.objects.filter(programme=programme)) == []


@pytest.mark.parametrize("answers", [1, 3])
def test_outcomes_page_queries(programme, cohort, sessions, client, django_assert_num_queries, answers):
    surveys = _surveys(programme)
    for _ in range(answers):
        _answer(surveys[SurveyKind.BASELINE], MemberFactory(cohort=cohort), confidence=3, intention="x")
    client.force_login(StaffFactory())

    with django_assert_num_queries(14):
        client.get(reverse("learning:outcomes", kwargs={"slug": programme.slug}))


def test_the_manager_sets_the_follow_ups_delay_on_its_edit_page(programme, client):
    services.outcome_items_set(programme=programme, items=["confidence"])
    follow_up = Survey.objects.get(programme=programme, kind=SurveyKind.FOLLOW_UP)
    baseline = Survey.objects.get(programme=programme, kind=SurveyKind.BASELINE)
    client.force_login(StaffFactory())
    empty = {"questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0}

    client.post(
        reverse("learning:survey_edit", kwargs={"pk": follow_up.pk}),
        {"title": "Six months on", "intro": "", "opens_after_session": 6, "follow_up_days": 180, **empty},
    )
    page = client.get(reverse("learning:survey_edit", kwargs={"pk": baseline.pk}))

    follow_up.refresh_from_db()
    assert (follow_up.title, follow_up.follow_up_days) == ("Six months on", 180)
    assert list(page.context["settings_form"].fields) == ["title", "intro", "opens_after_session"]
