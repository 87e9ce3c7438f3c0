"""Offers to contribute: a member whose group has ended offers to be a guest for a later group; staff see the
offers and invite one to a session with the usual guest invitation."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohort_site.mail.enums import EmailKind
from cohort_site.mail.models import OutgoingEmail
from cohort_site.members.services import member_leave
from sessions_app.enums import SessionStatus
from sessions_app.models import Guest, GuestOffer
from sessions_app.rules import is_alumnus_member
from sessions_app.selectors import guest_offers_with_sessions
from sessions_app.services import guest_offer_invite, guest_offer_make, guest_offer_withdraw
from tests.factories import CohortFactory, MemberFactory, ProgrammeFactory, StaffFactory
from tests.world import group_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def alumna():
    """Ada, whose group's two sessions are over, and a later group whose sessions are still to come."""
    programme = ProgrammeFactory()
    ended = CohortFactory(programme=programme)
    held = group_sessions(ended, count=2)
    ada = MemberFactory(cohort=ended, name="Ada Lovelace", email="ada@example.org", organisation="Analytical")
    # A group of another programme, starting a month after Ada's.
    later = CohortFactory(
        programme=ProgrammeFactory(),
        first_session_week=ended.first_session_week + datetime.timedelta(weeks=4),
    )
    later_sessions = group_sessions(later, count=2)
    now = held[-1].ends_at + datetime.timedelta(hours=1)
    assert later_sessions[0].starts_at > now
    return {"ada": ada, "now": now, "own": held, "later": later_sessions}


def test_only_a_member_whose_group_has_ended_can_offer(alumna):
    ada = alumna["ada"]

    with (
        time_machine.travel(alumna["own"][-1].starts_at, tick=False),
        pytest.raises(ValidationError) as error,
    ):
        guest_offer_make(user=ada.user, note="Rural befriending")

    assert error.value.messages == ["Only members whose group has ended can offer to contribute."]
    assert GuestOffer.objects.count() == 0


def test_offering_again_updates_the_one_offer(alumna):
    ada = alumna["ada"]
    with time_machine.travel(alumna["now"], tick=False):
        guest_offer_make(user=ada.user, note="Rural befriending")
        guest_offer_make(user=ada.user, note="  Running a men's shed  ")

    assert list(GuestOffer.objects.values_list("user__name", "note")) == [
        ("Ada Lovelace", "Running a men's shed")
    ]


def test_offer_page_refuses_members_before_the_end_and_saves_after(alumna, client):
    ada = alumna["ada"]
    url = reverse("sessions:guest_offer")

    with time_machine.travel(alumna["own"][-1].starts_at, tick=False):
        client.force_login(ada.user)
        refused = (client.get(url).status_code, client.post(url, {"note": "Sheds"}).status_code)
    with time_machine.travel(alumna["now"], tick=False):
        blank = client.post(url, {"note": "   "})
        saved = client.post(url, {"note": "Sheds and allotments"})
        page = client.get(url)

    assert refused == (404, 404)
    assert blank.status_code == 200
    assert blank.context["form"].errors == {"note": ["This field is required."]}
    assert saved["Location"] == url
    assert page.context["offer"].note == "Sheds and allotments"
    assert GuestOffer.objects.count() == 1


def test_withdrawing_deletes_the_offer(alumna, client):
    ada = alumna["ada"]
    with time_machine.travel(alumna["now"], tick=False):
        guest_offer_make(user=ada.user, note="Sheds")
        client.force_login(ada.user)
        response = client.post(reverse("sessions:guest_offer"), {"withdraw": "1"})

    assert response["Location"] == reverse("sessions:guest_offer")
    assert GuestOffer.objects.count() == 0


def test_leaving_the_group_withdraws_the_offer(alumna):
    ada = alumna["ada"]
    with time_machine.travel(alumna["now"], tick=False):
        guest_offer_make(user=ada.user, note="Sheds")
        member_leave(application=ada, by=ada.user)

    assert GuestOffer.objects.count() == 0


def test_staff_invite_an_offer_to_a_later_groups_session(alumna):
    ada, session = alumna["ada"], alumna["later"][1]
    staff = StaffFactory()
    with time_machine.travel(alumna["now"], tick=False):
        offer = guest_offer_make(user=ada.user, note="Rural befriending")
        guest = guest_offer_invite(offer=offer, session=session, by=staff)

    offer.refresh_from_db()
    assert offer.guest == guest
    assert (guest.session, guest.name, guest.email, guest.topic) == (
        session,
        "Ada Lovelace",
        "ada@example.org",
        "Rural befriending",
    )
    assert list(
        OutgoingEmail.objects.filter(kind=EmailKind.SESSION_GUEST_INVITE).values_list("to", flat=True)
    ) == ["ada@example.org"]


def test_an_offer_cannot_be_taken_up_for_their_own_group_or_twice(alumna):
    ada = alumna["ada"]
    with time_machine.travel(alumna["now"], tick=False):
        offer = guest_offer_make(user=ada.user, note="Sheds")
        with pytest.raises(ValidationError) as own:
            guest_offer_invite(offer=offer, session=alumna["own"][1])
        guest_offer_invite(offer=offer, session=alumna["later"][0])
        with pytest.raises(ValidationError) as twice:
            guest_offer_invite(offer=offer, session=alumna["later"][0])

    assert own.value.message_dict == {
        "session": ["Choose a session still to come, of a group they were not in."]
    }
    assert twice.value.message_dict == {"email": ["This person is already invited to this session."]}
    assert Guest.objects.count() == 1


def test_staff_page_lists_offers_with_the_later_sessions(alumna):
    with time_machine.travel(alumna["now"], tick=False):
        guest_offer_make(user=alumna["ada"].user, note="Sheds")
        rows = guest_offers_with_sessions(now=alumna["now"])

    assert [(offer.note, sessions) for offer, sessions in rows] == [("Sheds", alumna["later"])]


@pytest.mark.parametrize("count", [1, 3])
def test_staff_page_queries_do_not_grow(alumna, client, count, django_assert_num_queries):
    now = alumna["now"]
    staff = StaffFactory()
    with time_machine.travel(now, tick=False):
        guest_offer_make(user=alumna["ada"].user, note="Sheds")
        ended = alumna["ada"].cohort
        for n in range(count - 1):
            other = MemberFactory(cohort=ended, email=f"other{n}@example.org")
            guest_offer_make(user=other.user, note=f"Topic {n}")
        client.force_login(staff)
        # 6, and the programmes to choose from (issue 20); the same with one chosen
        with django_assert_num_queries(7):
            response = client.get(reverse("sessions:guest_offers"))
        with django_assert_num_queries(7):
            client.get(reverse("sessions:guest_offers") + f"?programme={ended.programme.slug}")

    assert len(response.context["offers"]) == count
    assert [len(form.fields["session"].choices) for _, form in response.context["offers"]] == [3] * count


def test_staff_invite_view_invites_and_says_so(alumna, client):
    staff = StaffFactory()
    session = alumna["later"][0]
    with time_machine.travel(alumna["now"], tick=False):
        offer = guest_offer_make(user=alumna["ada"].user, note="Sheds")
        client.force_login(staff)
        response = client.post(
            reverse("sessions:guest_offer_invite", kwargs={"pk": offer.pk}),
            {f"offer-{offer.pk}-session": session.pk},
        )
        refused = client.post(
            reverse("sessions:guest_offer_invite", kwargs={"pk": offer.pk}),
            {f"offer-{offer.pk}-session": alumna["own"][0].pk},
        )

    assert response["Location"] == reverse("sessions:guest_offers")
    assert refused["Location"] == reverse("sessions:guest_offers")
    assert list(Guest.objects.values_list("session", "email")) == [(session.pk, "ada@example.org")]


def test_guest_offer_withdraw_leaves_an_invitation_already_sent(alumna):
    with time_machine.travel(alumna["now"], tick=False):
        offer = guest_offer_make(user=alumna["ada"].user, note="Sheds")
        guest_offer_invite(offer=offer, session=alumna["later"][0])
        guest_offer_withdraw(user=alumna["ada"].user)

    assert (GuestOffer.objects.count(), Guest.objects.count()) == (0, 1)


def test_is_alumnus_member_once_every_session_going_ahead_is_over(alumna):
    ada, own = alumna["ada"], alumna["own"]
    last = own[-1]

    assert [
        is_alumnus_member(ada.user, last.ends_at - datetime.timedelta(seconds=1)),
        is_alumnus_member(ada.user, last.ends_at),
        is_alumnus_member(StaffFactory(), last.ends_at),
        is_alumnus_member(AnonymousUser(), last.ends_at),
    ] == [False, True, False, False]


def test_a_cancelled_last_session_ends_the_group_with_the_one_before(alumna):
    ada, own = alumna["ada"], alumna["own"]
    own[-1].status = SessionStatus.CANCELLED
    own[-1].save(update_fields=["status"])

    assert is_alumnus_member(ada.user, own[0].ends_at) is True
