"""The permission matrix: each visibility × who is asking, for the list, the detail page and the feed."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from learning.enums import Visibility
from learning.selectors import entries_visible_to
from tests.factories import EntryFactory

ATOM = "{http://www.w3.org/2005/Atom}"

# Who may read an entry of each visibility (in the list and on its page).
CAN_READ = {
    Visibility.DRAFT: {"author"},
    Visibility.GROUP: {"same_cohort", "author", "manager"},
    Visibility.NETWORK: {"other_cohort", "same_cohort", "author", "manager"},
    Visibility.PUBLIC: {"anonymous", "other_programme", "other_cohort", "same_cohort", "author", "manager"},
}
ROLES = ["anonymous", "other_programme", "other_cohort", "same_cohort", "author", "manager"]
MATRIX = [(visibility, role) for visibility in Visibility for role in ROLES]


@pytest.fixture
def entry(cohort, people, request):
    visibility = request.param
    return EntryFactory(
        cohort=cohort, visibility=visibility, title=f"A {visibility} entry", authors=[people["author"]]
    )


def sign_in(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])


@pytest.mark.parametrize(("entry", "role"), MATRIX, indirect=["entry"])
def test_list_shows_entry_only_to_those_allowed(client, people, entry, role):
    sign_in(client, people, role)

    response = client.get(reverse("learning:list"))

    expected = [entry.title] if role in CAN_READ[entry.visibility] else []
    assert (response.status_code, [e.title for e in response.context["entries"]]) == (200, expected)


@pytest.mark.parametrize(("entry", "role"), MATRIX, indirect=["entry"])
def test_detail_is_404_unless_allowed(client, people, entry, role):
    sign_in(client, people, role)

    response = client.get(reverse("learning:detail", kwargs={"pk": entry.pk}))

    if role in CAN_READ[entry.visibility]:
        assert (response.status_code, response.context["entry"]) == (200, entry)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize(("entry", "role"), MATRIX, indirect=["entry"])
def test_feed_carries_public_entries_only_whoever_asks(client, people, entry, role):
    sign_in(client, people, role)

    response = client.get(reverse("learning:feed"))

    feed = ET.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    expected = [entry.title] if entry.visibility == Visibility.PUBLIC else []
    assert (response.status_code, response["Content-Type"], titles) == (
        200,
        "application/atom+xml; charset=utf-8",
        expected,
    )


@pytest.mark.parametrize(("entry", "role"), MATRIX, indirect=["entry"])
def test_edit_page_is_404_for_all_but_authors(client, people, entry, role):
    sign_in(client, people, role)

    response = client.get(reverse("learning:edit", kwargs={"pk": entry.pk}))

    if role == "anonymous":
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("account_login"))
    elif role == "author":
        assert response.status_code == 200
        assert response.context["entry"] == entry
    else:
        assert response.status_code == 404


def test_selector_is_one_query_for_a_member(django_assert_num_queries, people, cohort):
    EntryFactory.create_batch(3, cohort=cohort, visibility=Visibility.GROUP)

    with django_assert_num_queries(1):
        assert len(list(entries_visible_to(people["same_cohort"]))) == 3


def test_inactive_user_sees_only_public(people, cohort):
    EntryFactory(cohort=cohort, visibility=Visibility.GROUP)
    public = EntryFactory(cohort=cohort, visibility=Visibility.PUBLIC)
    member = people["same_cohort"]
    member.is_active = False

    assert list(entries_visible_to(member)) == [public]


def test_withdrawn_member_no_longer_sees_the_group(people, cohort):
    from applications.enums import ApplicationStatus

    EntryFactory(cohort=cohort, visibility=Visibility.GROUP)
    member = people["same_cohort"]
    member.applications.update(status=ApplicationStatus.WITHDRAWN)

    assert list(entries_visible_to(member)) == []
