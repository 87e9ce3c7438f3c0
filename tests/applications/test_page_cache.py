"""The programme page and the blank application form are rendered once and kept in the cache
(applications/page_cache.py): never stale after a change, a boundary in time, or for another visitor."""

import datetime
import re
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import Application, ProgrammeSection
from applications.page_cache import public_page_key, public_pages_version
from applications.services import member_organisations_import
from tests.factories import (
    CandidateTimeFactory,
    DropInFactory,
    ProgrammeSectionFactory,
    StaffFactory,
    UserFactory,
)

from .conftest import DEADLINE, DURING, OPENS, apply_data, london


def programme_page(client, programme, moment=DURING) -> str:
    with time_machine.travel(moment, tick=False):
        response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def form_page(client, programme, moment=DURING) -> str:
    with time_machine.travel(moment, tick=False):
        response = client.get(reverse("applications:apply", kwargs={"slug": programme.slug}))
    assert response.status_code == 200
    return response.content.decode()


def hidden_value(content: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', content).group(1)


@pytest.fixture
def section(programme):
    return ProgrammeSectionFactory(programme=programme, key="aims", heading="Our aims", body="Kinder towns.")


# --- Served from the cache, with fewer queries -------------------------------------------------------------------


def test_programme_page_second_view_is_the_same_page_from_the_cache(
    client, programme, section, drop_in, django_assert_num_queries
):
    first = programme_page(client, programme)

    with django_assert_num_queries(0):  # found by its address: no row read
        second = programme_page(client, programme)

    assert second == first
    assert '<h2 id="section-aims">Our aims</h2>' in second


def test_programme_page_for_a_member_reads_its_sections_once_while_cached(
    client, programme, section, django_assert_num_queries
):
    client.force_login(UserFactory())
    with django_assert_num_queries(5):  # session, user, programme, drop-ins, sections
        programme_page(client, programme)
    with django_assert_num_queries(4):  # the sections come with the cached fragment
        programme_page(client, programme)


def test_blank_form_second_view_is_the_same_form_from_the_cache(client, programme, django_assert_num_queries):
    first = form_page(client, programme)

    with django_assert_num_queries(0):  # found by its address: no row read
        second = form_page(client, programme)

    def without_tokens(content):
        return re.sub(r'name="(csrfmiddlewaretoken|submission_token)" value="[^"]+"', "", content)

    assert without_tokens(second) == without_tokens(first)
    assert second.count('type="radio"') == 3 * 3 + 2  # three times (yes, if need be, no); the role type's two


# --- Never stale: a change to what the page shows -------------------------------------------------------------------


def test_programme_page_shows_an_edited_programme_at_once(client, programme, section):
    programme_page(client, programme)
    programme.who_it_is_for = "Anyone who runs a befriending scheme."
    programme.save()

    assert "Anyone who runs a befriending scheme." in programme_page(client, programme)


def test_programme_page_shows_an_edited_section_at_once(client, programme, section):
    programme_page(client, programme)
    section.body = "Connected communities."
    section.save()

    content = programme_page(client, programme)

    assert "Connected communities." in content
    assert "Kinder towns." not in content


def test_programme_page_drops_a_deleted_section_at_once(client, programme, section):
    programme_page(client, programme)
    ProgrammeSection.objects.filter(pk=section.pk).delete()

    assert '<h2 id="section-aims">' not in programme_page(client, programme)


def test_programme_page_shows_a_new_drop_in_at_once(client, programme):
    programme_page(client, programme)
    DropInFactory(programme=programme, starts_at=london(2021, 7, 8, 15), ends_at=london(2021, 7, 8, 16))

    assert "<strong>Thursday 8 July 2021, " in programme_page(client, programme)


def test_form_shows_a_new_candidate_time_at_once(client, programme):
    form_page(client, programme)
    CandidateTimeFactory(programme=programme, weekday=3, start_time=datetime.time(16))

    assert form_page(client, programme).count('type="radio"') == 4 * 3 + 2


def test_form_lists_imported_member_organisations_at_once(client, programme):
    form_page(client, programme)
    member_organisations_import(names=["Bradford Befrienders"])  # a bulk insert: no signal

    assert '<option value="Bradford Befrienders"></option>' in form_page(client, programme)


def test_a_change_is_seen_again_when_its_transaction_commits(
    client, programme, section, django_capture_on_commit_callbacks
):
    """Another process may render the old rows between the change and its commit: the commit replaces the
    version again, so what it cached is never served."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        section.body = "Connected communities."
        section.save()
        version_at_save = public_pages_version()
    callbacks[0]()

    assert public_pages_version() != version_at_save
    assert "Connected communities." in programme_page(client, programme)


def test_a_programme_unpublished_is_gone_at_once_though_its_pages_were_cached(client, programme):
    programme_page(client, programme)
    form_page(client, programme)
    programme.is_published = False
    programme.save()

    with time_machine.travel(DURING, tick=False):
        statuses = [
            client.get(programme.get_absolute_url()).status_code,
            client.get(reverse("applications:apply", kwargs={"slug": programme.slug})).status_code,
        ]

    assert statuses == [404, 404]


def test_the_cached_form_is_not_served_once_applications_close(client, programme):
    form_page(client, programme)

    with time_machine.travel(DEADLINE, tick=False):
        content = client.get(reverse("applications:apply", kwargs={"slug": programme.slug})).content.decode()

    assert 'name="submission_token"' not in content


# --- Never stale: time passing a boundary --------------------------------------------------------------------------


def test_programme_page_drops_a_drop_in_once_it_has_ended(client, programme, drop_in):
    assert '<h2 id="drop-ins-heading">' in programme_page(
        client, programme, drop_in.ends_at - datetime.timedelta(1)
    )

    assert '<h2 id="drop-ins-heading">' not in programme_page(client, programme, drop_in.ends_at)


def test_programme_page_changes_its_call_to_action_as_applications_open_and_close(client, programme):
    before = programme_page(client, programme, OPENS - datetime.timedelta(seconds=1))
    during = programme_page(client, programme, OPENS)
    after = programme_page(client, programme, DEADLINE)

    assert 'href="/programmes/relationships/interest/">Register interest</a>' in before
    assert 'href="/programmes/relationships/apply/">Apply now</a>' in during
    assert 'href="/programmes/relationships/interest/">Register interest in the next group</a>' in after


def test_programme_page_time_left_is_never_taken_from_the_cache(client, programme):
    assert "(3\xa0days left)" in programme_page(client, programme, london(2021, 7, 18, 9))

    assert "(2\xa0days left)" in programme_page(client, programme, london(2021, 7, 19, 9))


def test_the_key_changes_at_each_boundary_and_only_there(programme, drop_in):
    def key(moment, moments=(drop_in.ends_at,)):
        return public_page_key(programme, page="programme", now=moment, moments=moments)

    second = datetime.timedelta(seconds=1)
    assert key(OPENS - second) != key(OPENS)
    assert key(OPENS) == key(drop_in.ends_at - second)
    assert key(drop_in.ends_at - second) != key(drop_in.ends_at)
    assert key(drop_in.ends_at) == key(DEADLINE - second)
    assert key(DEADLINE - second) != key(DEADLINE)


def test_the_key_names_the_language(programme):
    now = timezone.now()

    with translation.override("cy"):
        welsh = public_page_key(programme, page="programme", now=now)

    assert welsh.endswith(":cy")
    assert public_page_key(programme, page="programme", now=now).endswith(":en-gb")


# --- Never stale: who is looking ------------------------------------------------------------------------------------


def test_programme_page_cached_for_a_visitor_shows_a_signed_in_member_their_own_navigation(client, programme):
    assert ">Sign in</a>" in programme_page(client, programme)

    client.force_login(UserFactory(name="Asha Patel"))
    content = programme_page(client, programme)

    assert "Sign out (Asha)" in content
    assert ">Sign in</a>" not in content


def test_programme_page_cached_for_a_member_shows_a_visitor_no_one_elses_name(client, programme):
    member = Client()
    member.force_login(StaffFactory(name="Zoë Cumberland"))
    assert "Sign out (Zoë)" in programme_page(member, programme)

    content = programme_page(client, programme)

    assert "Sign out" not in content
    assert ">Sign in</a>" in content
    assert ">Outbox</a>" not in content


# --- A cached form still works ---------------------------------------------------------------------------------------


def test_cached_form_gives_each_visitor_their_own_tokens_and_still_posts(programme):
    form_page(Client(), programme)  # fills the cache
    applicant = Client(enforce_csrf_checks=True)
    content = form_page(applicant, programme)
    data = apply_data(
        programme,
        csrfmiddlewaretoken=hidden_value(content, "csrfmiddlewaretoken"),
        submission_token=hidden_value(content, "submission_token"),
    )

    with time_machine.travel(DURING, tick=False):
        response = applicant.post(reverse("applications:apply", kwargs={"slug": programme.slug}), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:apply_thanks", kwargs={"slug": programme.slug})
    assert list(Application.objects.values_list("email", "submission_token")) == [
        ("asha@example.org", uuid.UUID(data["submission_token"]))
    ]


def test_two_visitors_of_the_cached_form_get_different_submission_tokens(programme):
    first = form_page(Client(), programme)
    second = form_page(Client(), programme)

    assert hidden_value(first, "submission_token") != hidden_value(second, "submission_token")


def test_cached_form_posted_with_a_mistake_shows_the_error_and_keeps_the_answers(client, programme):
    form_page(client, programme)

    with time_machine.travel(DURING, tick=False):
        response = client.post(
            reverse("applications:apply", kwargs={"slug": programme.slug}),
            apply_data(programme, email="not-an-address", hopes="Volunteers who stay."),
        )
    content = response.content.decode()

    assert response.status_code == 200
    assert content.count("Enter an email address like name@example.org") == 2  # the summary and the field
    assert "Volunteers who stay.</textarea>" in content
    assert Application.objects.count() == 0


# --- Whole pages for visitors not signed in ------------------------------------------------------------------------


def test_a_whole_cached_form_sets_the_visitors_csrf_cookie_and_a_fresh_token_each_time(programme):
    form_page(Client(), programme)  # stored whole
    visitor = Client()

    first, second = form_page(visitor, programme), form_page(visitor, programme)

    assert "csrftoken" in visitor.cookies
    assert hidden_value(first, "csrfmiddlewaretoken") != hidden_value(second, "csrfmiddlewaretoken")
    assert hidden_value(first, "submission_token") != hidden_value(second, "submission_token")
    assert "\x00" not in second


def test_a_visitor_with_a_message_waiting_gets_the_page_rendered_with_it(client, programme):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    programme_page(Client(), programme)  # stored whole, without a message
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "You have signed out.")])

    assert "You have signed out." in programme_page(client, programme)
    assert "You have signed out." not in programme_page(Client(), programme)


def test_the_home_page_and_the_programme_page_mark_their_own_link_as_current(client, programme):
    with time_machine.travel(DURING, tick=False):
        home = client.get("/").content.decode()
    page = programme_page(client, programme)
    with time_machine.travel(DURING, tick=False):
        home_again = client.get("/").content.decode()

    assert 'href="/" aria-current="page">Programme</a>' in home
    assert 'href="/" aria-current="page">Programme</a>' not in page
    assert home_again == home


# --- The cache unreachable -----------------------------------------------------------------------------------------


def test_pages_are_rendered_in_full_while_the_cache_is_down(client, programme, section, site_on):
    site_on()  # Redis stops

    assert '<h2 id="section-aims">Our aims</h2>' in programme_page(client, programme)
    assert form_page(client, programme).count('type="radio"') == 3 * 3 + 2
