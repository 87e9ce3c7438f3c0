"""The schedules and the offers to contribute show one programme's groups and sessions (`?programme=<slug>`)."""

from django.urls import reverse

from cohort_site.core.programme_filter import UNKNOWN_PROGRAMME
from sessions_app.models import GuestOffer
from tests.factories import StaffFactory, UserFactory
from tests.programme_pair import two_programmes

SCHEDULES = reverse("sessions:cohorts")
OFFERS = reverse("sessions:guest_offers")


def test_schedules_list_only_the_chosen_programmes_groups(client, db):
    two_programmes()
    client.force_login(StaffFactory())

    older = client.get(f"{SCHEDULES}?programme=older")
    every = client.get(SCHEDULES)

    assert [c.name for c in older.context["cohorts"]] == ["Older programme group"]
    assert sorted(c.name for c in every.context["cohorts"]) == [
        "Newer programme group",
        "Older programme group",
    ]
    page = older.content.decode()
    assert "<h1>Schedules: Older programme</h1>" in page
    assert f'href="{OFFERS}?programme=older"' in page


def test_schedules_say_so_for_an_unknown_programme_and_list_every_group(client, db):
    two_programmes()
    client.force_login(StaffFactory())

    response = client.get(f"{SCHEDULES}?programme=nothing-here")

    assert response.status_code == 200
    assert response.context["programme_filter"].form.errors == {"programme": [UNKNOWN_PROGRAMME]}
    assert len(response.context["cohorts"]) == 2


def test_offers_to_contribute_offer_only_the_chosen_programmes_sessions(client, db):
    newer, older = two_programmes()
    GuestOffer.objects.create(user=UserFactory(), note="Rural befriending.")
    client.force_login(StaffFactory())

    def session_choices(query: str) -> list[int]:
        [(_, form)] = client.get(f"{OFFERS}?{query}").context["offers"]
        return [value for value, _ in form.fields["session"].choices if value]

    assert session_choices("programme=newer") == [newer.session.pk]
    assert session_choices("programme=older") == [older.session.pk]
    assert sorted(session_choices("")) == sorted([newer.session.pk, older.session.pk])


def test_inviting_from_an_offer_comes_back_to_the_programme_shown(
    client, db, django_capture_on_commit_callbacks
):
    newer, _ = two_programmes()
    offer = GuestOffer.objects.create(user=UserFactory(name="Morwenna"), note="Rural befriending.")
    client.force_login(StaffFactory())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("sessions:guest_offer_invite", kwargs={"pk": offer.pk}),
            {f"offer-{offer.pk}-session": newer.session.pk, "programme": "newer"},
        )

    assert (response.status_code, response["Location"]) == (302, f"{OFFERS}?programme=newer")
