import pytest
from django.core.management import call_command
from django.urls import reverse

from learning import services
from learning.models import ReadingItem, ReadingTick, Survey
from tests.factories import MemberFactory, ReadingItemFactory, UserFactory


def test_seed_demo_adds_the_briefs_two_links_once(db, settings):
    settings.DEBUG = True

    call_command("seed_demo")
    call_command("seed_demo")

    assert list(ReadingItem.objects.values_list("source", "url")) == [
        (
            "National Voices",
            "https://www.nationalvoices.org.uk/sites/default/files/public/publications/"
            "enabling_change_through_communities_of_practice_0.pdf",
        ),
        ("The Social Change Agency", "https://thesocialchangeagency.org/create-a-community-of-practice/"),
    ]
    # The open call's surveys (the pilot has its own, with the outcome surveys: tests/demo).
    open_call = Survey.objects.filter(programme__slug="relationships-and-connections")
    assert sorted(open_call.values_list("kind", "opens_after_session")) == [
        ("evaluation", 6),
        ("midpoint", 3),
    ]


def test_member_ticks_an_item_off_and_back(client, cohort):
    member = MemberFactory(cohort=cohort)
    [first, second] = services.reading_list_seed(programme=cohort.programme)
    client.force_login(member.user)
    tick = reverse("learning:reading_tick", kwargs={"pk": first.pk})

    client.post(tick, {"done": "1"})
    client.post(tick, {"done": "1"})
    page = client.get(reverse("learning:reading"))

    assert ReadingTick.objects.filter(user=member.user).count() == 1
    assert [(i.title, i.done) for g in page.context["programmes"] for i in g["items"]] == [
        (first.title, True),
        (second.title, False),
    ]
    assert (page.context["done_count"], page.context["item_count"]) == (1, 2)

    client.post(tick, {"done": "0"})
    assert ReadingTick.objects.count() == 0


def test_reading_list_of_another_programme_is_404(client, cohort):
    member = MemberFactory(cohort=cohort)
    elsewhere = ReadingItemFactory()
    client.force_login(member.user)

    response = client.post(reverse("learning:reading_tick", kwargs={"pk": elsewhere.pk}), {"done": "1"})

    assert response.status_code == 404
    assert ReadingTick.objects.count() == 0


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_reading_list_is_for_members(client, db, who):
    if who == "stranger":
        client.force_login(UserFactory())

    response = client.get(reverse("learning:reading"))

    assert response.status_code == (302 if who == "anonymous" else 404)


def test_manager_adds_an_item_and_sees_who_read(client, cohort, people):
    client.force_login(people["manager"])

    response = client.post(
        reverse("learning:reading"),
        {"programme": cohort.programme.pk, "title": "Loneliness evidence", "url": "https://example.org/ev"},
    )

    assert response.status_code == 302
    assert list(ReadingItem.objects.values_list("title", "order")) == [("Loneliness evidence", 0)]


def test_members_cannot_add_items(client, cohort, people):
    client.force_login(people["same_cohort"])

    response = client.post(
        reverse("learning:reading"),
        {"programme": cohort.programme.pk, "title": "Mine", "url": "https://example.org/mine"},
    )

    assert response.status_code == 404
    assert ReadingItem.objects.count() == 0


def test_manager_cannot_add_a_link_that_is_not_a_web_address(client, cohort, people):
    client.force_login(people["manager"])

    response = client.post(
        reverse("learning:reading"),
        {"programme": cohort.programme.pk, "title": "Old files", "url": "ftp://example.org/files"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "url": [
            "Enter the link as a web address, like https://example.org/guide (it must start with https:// or http://)."
        ]
    }
    assert ReadingItem.objects.count() == 0


def test_reading_list_shows_a_stored_javascript_link_as_text(client, cohort):
    member = MemberFactory(cohort=cohort)
    ReadingItemFactory(programme=cohort.programme, title="Click me", url="javascript:alert(1)")
    ReadingItemFactory(programme=cohort.programme, title="A good read", url="https://example.org/read")
    client.force_login(member.user)

    page = client.get(reverse("learning:reading")).content.decode()

    assert "javascript:" not in page
    assert '<a href="https://example.org/read" rel="noopener noreferrer">A good read</a>' in page
    assert "Click me" in page
