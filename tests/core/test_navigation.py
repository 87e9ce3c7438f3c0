"""The main navigation says where you are: aria-current="page" on the link of the page shown (and "true" on a
section's link for the pages under it), styled so it is seen too (static/css/site.css)."""

import re

from django.urls import reverse

from tests.factories import EntryFactory, MemberFactory


def current_links(response) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="navbar.*?</nav>', response.content.decode(), re.S).group(0)
    # Any whitespace between the attributes: the template's formatter (djlint) puts each on its own line.
    return re.findall(r'<a\s+class="nav-link"\s+href="[^"]*"\s+aria-current="(\w+)">([^<]+)</a>', nav)


def test_the_page_shown_is_marked_current_and_no_other(client, db):
    client.force_login(MemberFactory().user)

    assert current_links(client.get(reverse("members:expenses"))) == [("page", "Expenses")]
    assert current_links(client.get(reverse("members:profile"))) == [("page", "Profile")]
    assert current_links(client.get(reverse("dashboards:member"))) == [("page", "Dashboard")]


def test_a_page_under_a_section_marks_the_section(client, db):
    member = MemberFactory()
    entry = EntryFactory(cohort=member.cohort, authors=[member.user])
    client.force_login(member.user)

    assert current_links(client.get(reverse("learning:detail", args=[entry.pk]))) == [("true", "Learning")]
    assert current_links(client.get(reverse("learning:list"))) == [("page", "Learning")]


def test_the_home_page_marks_programme_for_someone_signed_out(client, db):
    from tests.factories import ProgrammeFactory

    ProgrammeFactory()

    assert current_links(client.get("/")) == [("page", "Programme")]
