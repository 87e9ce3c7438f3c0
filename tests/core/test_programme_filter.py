"""The one way to choose a programme on the staff pages (cohort_site/core/programme_filter.py) and the template
tags that keep it (`keep_programme`, `other_filters`)."""

import datetime

from django.template import Context, Template
from django.test import RequestFactory

from cohort_site.core.programme_filter import (
    UNKNOWN_PROGRAMME,
    ProgrammeFilterForm,
    programme_filter,
    programmes_newest_first,
    with_programme,
)
from tests.factories import ProgrammeFactory


def test_programmes_come_newest_first_from_recruitment(db):
    older = ProgrammeFactory(title="Older", slug="older")
    newer = ProgrammeFactory(
        title="Newer",
        slug="newer",
        applications_open_at=older.applications_open_at + datetime.timedelta(days=1),
    )

    assert programmes_newest_first() == [newer, older]


def test_a_chosen_programme_is_found_among_those_listed_without_another_query(db, django_assert_num_queries):
    ProgrammeFactory(title="Older", slug="older")
    chosen = ProgrammeFactory(title="Newer", slug="newer")

    with django_assert_num_queries(1):
        shown = programme_filter(RequestFactory().get("/staff/", {"programme": "newer"}))

    assert (shown.programme, shown.query, shown.form.errors) == (chosen, "programme=newer", {})


def test_no_programme_or_an_empty_one_is_every_programme(db):
    ProgrammeFactory(slug="one")

    unchosen = programme_filter(RequestFactory().get("/staff/"))
    cleared = programme_filter(RequestFactory().get("/staff/", {"programme": ""}))

    assert (unchosen.programme, unchosen.query, unchosen.form.is_bound) == (None, "", False)
    assert (cleared.programme, cleared.query, cleared.form.errors) == (None, "", {})


def test_an_unknown_programme_is_an_error_beside_the_select_and_every_programme(db):
    ProgrammeFactory(slug="one")

    shown = programme_filter(RequestFactory().get("/staff/", {"programme": "two"}))

    assert (shown.programme, shown.form.errors) == (None, {"programme": [UNKNOWN_PROGRAMME]})


def test_the_form_offers_all_programmes_then_each_by_title():
    class Listed:
        def __init__(self, slug, title):
            self.slug, self.title = slug, title

    form = ProgrammeFilterForm(programmes=[Listed("b", "Bravo"), Listed("a", "Alpha")])

    assert list(form.fields["programme"].choices) == [("", "All programmes"), ("b", "Bravo"), ("a", "Alpha")]
    assert form.fields["programme"].label == "Programme"


def test_with_programme_adds_the_slug_to_a_link_with_or_without_a_query(db):
    programme = ProgrammeFactory(slug="spring-2031")

    assert with_programme("/staff/outbox/", programme) == "/staff/outbox/?programme=spring-2031"
    assert with_programme("/staff/outbox/?status=failed", programme) == (
        "/staff/outbox/?status=failed&programme=spring-2031"
    )
    assert with_programme("/staff/outbox/", None) == "/staff/outbox/"


def render(template: str, query: dict) -> str:
    request = RequestFactory().get("/staff/", query)
    return Template("{% load site_tags %}" + template).render(Context({"request": request}))


def test_keep_programme_carries_the_choice_on_a_link_and_nothing_without_one():
    link = '{{ "/staff/expenses/"|keep_programme:request }}'

    assert render(link, {"programme": "spring"}) == "/staff/expenses/?programme=spring"
    assert render(link, {"programme": ""}) == "/staff/expenses/"
    assert render(link, {}) == "/staff/expenses/"
    assert render(link, {"programme": "a&b"}) == "/staff/expenses/?programme=a%26b"


def test_other_filters_keeps_the_rest_of_the_query_but_the_page():
    inputs = render('{% other_filters "programme" %}', {"programme": "x", "status": "failed", "page": "2"})

    assert inputs == '<input type="hidden" name="status" value="failed">'
