"""Several programmes at once: /programmes/ lists them by phase, the home page shows every open programme, a new
programme is not published until staff tick it, and staff preview it first (issue 20)."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from applications.models import Programme
from tests.factories import ProgrammeFactory, StaffFactory, UserFactory

from .conftest import DEADLINE, DURING, OPENS, london

LATER = datetime.timedelta(weeks=8)


def get(client, path, moment=DURING):
    with time_machine.travel(moment, tick=False):
        return client.get(path)


def headings(content: str) -> list[str]:
    return re.findall(r'<h3 class="h5">\s*<a href="[^"]+">([^<]+)</a>', content)


def section_titles(content: str) -> list[str]:
    return re.findall(r'<h2 id="[a-z]+-heading">([^<]+)</h2>', content)


@pytest.fixture
def other(programme):
    """A second programme open at the same time, closing a week later."""
    return ProgrammeFactory(
        title="Volunteering that lasts",
        slug="volunteering",
        applications_open_at=OPENS,
        applications_close_at=DEADLINE + datetime.timedelta(weeks=1),
    )


def test_a_new_programme_is_not_published_until_ticked():
    assert Programme._meta.get_field("is_published").default is False


def test_programmes_page_lists_open_upcoming_and_past_programmes(client, programme):
    ProgrammeFactory(
        title="Next spring group", applications_open_at=OPENS + LATER, applications_close_at=DEADLINE + LATER
    )
    ProgrammeFactory(
        title="Last year group", applications_open_at=OPENS - LATER, applications_close_at=DEADLINE - LATER
    )
    ProgrammeFactory(title="Still being written", is_published=False)

    content = get(client, reverse("applications:programmes")).content.decode()

    assert section_titles(content) == ["Open for applications", "Opening soon", "Past programmes"]
    assert headings(content) == ["Relationships and connections", "Next spring group", "Last year group"]
    assert "Applications close Wednesday 21 July, 09:00 UK time." in content


def test_programmes_page_shows_staff_the_unpublished_ones_with_a_preview_link(client, programme):
    draft = ProgrammeFactory(title="Still being written", slug="draft", is_published=False)
    client.force_login(StaffFactory())

    content = get(client, reverse("applications:programmes")).content.decode()

    assert section_titles(content) == ["Open for applications", "Not published yet"]
    assert headings(content) == ["Relationships and connections", "Still being written"]
    assert f'<a href="{reverse("applications:programme_preview", kwargs={"slug": draft.slug})}">' in content


def test_programmes_page_with_none_published_says_so(client, db):
    ProgrammeFactory(is_published=False)

    content = get(client, reverse("applications:programmes")).content.decode()

    assert section_titles(content) == []
    assert "No programme is published yet." in content


@pytest.mark.parametrize("count", [1, 3])
def test_programmes_page_reads_the_programmes_in_one_query(client, db, count, django_assert_num_queries):
    ProgrammeFactory.create_batch(count, applications_open_at=OPENS, applications_close_at=DEADLINE)

    with django_assert_num_queries(1):
        response = get(client, reverse("applications:programmes"))

    assert len(headings(response.content.decode())) == count


def test_home_page_with_one_open_programme_is_its_page_as_before(client, programme):
    ProgrammeFactory(
        title="Next spring group", applications_open_at=OPENS + LATER, applications_close_at=DEADLINE + LATER
    )

    home = get(client, "/").content.decode()

    assert '<h1 class="display-6">Relationships and connections</h1>' in home
    assert headings(home) == []


def test_home_page_shows_every_open_programme(client, programme, other):
    home = get(client, "/").content.decode()

    assert '<h1 class="display-6">Open for applications</h1>' in home
    assert headings(home) == ["Relationships and connections", "Volunteering that lasts"]


def test_home_page_shows_a_newly_published_programme_at_once(client, programme):
    draft = ProgrammeFactory(title="Volunteering that lasts", applications_open_at=OPENS, is_published=False)
    before = [
        get(client, "/").content.decode(),
        get(client, reverse("applications:programmes")).content.decode(),
    ]
    draft.is_published = True
    draft.save()

    after = [
        get(client, "/").content.decode(),
        get(client, reverse("applications:programmes")).content.decode(),
    ]

    assert [headings(page) for page in before] == [[], ["Relationships and connections"]]
    assert [headings(page) for page in after] == [
        ["Relationships and connections", "Volunteering that lasts"],
        ["Relationships and connections", "Volunteering that lasts"],
    ]


def test_home_page_changes_when_a_second_programme_opens_with_no_row_saved(client, programme):
    ProgrammeFactory(
        title="Volunteering that lasts",
        applications_open_at=london(2021, 7, 10, 9),
        applications_close_at=DEADLINE,
    )

    before = get(client, "/", london(2021, 7, 9, 9)).content.decode()
    after = get(client, "/", london(2021, 7, 10, 9)).content.decode()

    assert '<h1 class="display-6">Relationships and connections</h1>' in before
    assert headings(after) == ["Relationships and connections", "Volunteering that lasts"]


def test_staff_preview_an_unpublished_programme(client, db):
    draft = ProgrammeFactory(title="Still being written", slug="draft", is_published=False)
    client.force_login(StaffFactory())

    content = get(
        client, reverse("applications:programme_preview", kwargs={"slug": draft.slug})
    ).content.decode()

    assert "Preview: this programme is not published yet, so only staff can see this page." in content
    assert '<h1 class="display-6">Still being written</h1>' in content


def test_unpublished_programme_is_404_to_everyone_but_staff(client, db):
    draft = ProgrammeFactory(slug="draft", is_published=False)
    preview = reverse("applications:programme_preview", kwargs={"slug": draft.slug})
    statuses = [get(client, preview).status_code, get(client, draft.get_absolute_url()).status_code]
    client.force_login(UserFactory())
    statuses += [get(client, preview).status_code, get(client, draft.get_absolute_url()).status_code]
    client.force_login(StaffFactory())
    statuses += [get(client, draft.get_absolute_url()).status_code]

    # Signed out, the preview asks to sign in (a manager whose session ended); the public page is never there.
    assert statuses == [302, 404, 404, 404, 404]
