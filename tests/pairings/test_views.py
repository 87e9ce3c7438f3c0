import re

import pytest
from django.urls import reverse

from pairings.models import PairMember, Round, SkipRequest
from pairings.rules import can_manage_pairs, can_mark_met
from pairings.services import pairs_plan, round_publish
from tests.factories import MemberFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(cohort_with_sessions, members):
    pairs_plan(cohort=cohort_with_sessions)
    return Round.objects.filter(cohort=cohort_with_sessions).order_by("number")


def test_can_manage_pairs_is_for_active_staff_only():
    assert [can_manage_pairs(u) for u in (StaffFactory(), UserFactory(), StaffFactory(is_active=False))] == [
        True,
        False,
        False,
    ]


def test_can_mark_met_only_own_published_membership(planned, members):
    membership = PairMember.objects.get(round=planned[0], member=members[0])
    assert can_mark_met(members[0].user, membership) is False
    round_publish(round_=planned[0])
    membership.round.refresh_from_db()
    assert (can_mark_met(members[0].user, membership), can_mark_met(members[1].user, membership)) == (
        True,
        False,
    )


@pytest.mark.parametrize("who", ["anonymous", "member", "staff"])
def test_cohort_plan_page_is_staff_only(client, planned, members, who):
    url = reverse("pairings:cohort_plan", kwargs={"pk": planned[0].cohort_id})
    if who == "member":
        client.force_login(members[0].user)
    if who == "staff":
        client.force_login(StaffFactory())
    response = client.get(url)
    expected = {"anonymous": 302, "member": 404, "staff": 200}[who]  # signed out: to sign in first
    assert response.status_code == expected
    if who == "staff":
        assert response.context["summaries"][0][0].repeats == 0
        assert [s.repeats for s, _ in response.context["summaries"]] == [0] * 5


def test_cohort_plan_page_queries_do_not_grow_with_members(
    client, cohort_with_sessions, django_assert_num_queries
):
    client.force_login(StaffFactory())
    url = reverse("pairings:cohort_plan", kwargs={"pk": cohort_with_sessions.pk})
    for count in (2, 6):
        while cohort_with_sessions.applications.count() < count:
            MemberFactory(cohort=cohort_with_sessions)
        pairs_plan(cohort=cohort_with_sessions)
        with django_assert_num_queries(18):
            client.get(url)


def test_staff_swaps_publishes_and_then_cannot_swap(client, planned, members):
    client.force_login(StaffFactory())
    first = planned[0]
    a = PairMember.objects.get(round=first, member=members[0])
    b = PairMember.objects.filter(round=first).exclude(pair=a.pair).first()
    data = {f"round-{first.pk}-first": members[0].pk, f"round-{first.pk}-second": b.member_id}
    client.post(reverse("pairings:swap", kwargs={"pk": first.pk}), data)
    assert PairMember.objects.get(pk=a.pk).pair_id == b.pair_id
    client.post(reverse("pairings:publish", kwargs={"pk": first.pk}))
    response = client.post(reverse("pairings:swap", kwargs={"pk": first.pk}), data, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"Swapped Ada and {b.member.name}.",
        "Round 1 is published; introductions go when it opens.",
        "This round is published; its pairs can no longer change.",
    ]


def test_my_pairs_shows_partner_contact_shared_challenge_and_times(client, planned, members, time_machine):
    ada = members[0]
    round_publish(round_=planned[0])
    partner_ids = PairMember.objects.filter(pair__memberships__member=ada, round=planned[0]).exclude(
        member=ada
    )
    partner = partner_ids.select_related("member").first().member
    partner.challenge, partner.share_challenge_with_partners = "Reaching young carers.", True
    partner.save()
    time_machine.move_to(planned[0].opens_at)
    client.force_login(ada.user)
    response = client.get(reverse("pairings:my_pairs"))
    html = response.content.decode()
    assert response.context["partners"] == [partner]
    assert [t.label for t in response.context["times"]] == ["Tuesday 10:00–12:00"]
    assert (partner.email in html, "Reaching young carers." in html, "We met" in html) == (True, True, True)
    partner.share_challenge_with_partners = False
    partner.save()
    assert "Reaching young carers." not in client.get(reverse("pairings:my_pairs")).content.decode()


def test_we_met_button_marks_the_member_and_refuses_others(client, planned, members):
    round_publish(round_=planned[0])
    membership = PairMember.objects.get(round=planned[0], member=members[0])
    client.force_login(members[1].user)
    assert client.post(reverse("pairings:mark_met", kwargs={"pk": membership.pk})).status_code == 404
    client.force_login(members[0].user)
    response = client.post(reverse("pairings:mark_met", kwargs={"pk": membership.pk}))
    assert (response.status_code, response["Location"]) == (302, reverse("pairings:my_pairs"))
    assert PairMember.objects.get(pk=membership.pk).met_at is not None


def test_skip_next_round_then_undo(client, planned, members):
    client.force_login(members[0].user)
    client.post(reverse("pairings:skip_next"))
    assert list(SkipRequest.objects.values_list("round__number", "member__name")) == [(1, "Ada")]
    assert PairMember.objects.filter(round=planned[0], member=members[0]).exists() is False
    client.post(reverse("pairings:skip_next"), {"undo": "1"})
    assert SkipRequest.objects.count() == 0
    assert PairMember.objects.filter(round=planned[0], member=members[0]).exists() is True


def test_my_pairs_is_404_for_someone_not_in_a_group(client):
    client.force_login(UserFactory())
    assert client.get(reverse("pairings:my_pairs")).status_code == 404


def test_my_pairs_heading_reads_as_a_phrase_and_a_met_pair_counts_as_met(
    client, planned, members, time_machine
):
    """Was "Next round : round 1", and "People you have met: Nobody yet" under "You said you met"."""
    ada = members[0]
    round_publish(round_=planned[0])
    time_machine.move_to(planned[0].opens_at)
    client.force_login(ada.user)
    client.post(
        reverse("pairings:mark_met", kwargs={"pk": PairMember.objects.get(round=planned[0], member=ada).pk})
    )

    response = client.get(reverse("pairings:my_pairs"))

    html = response.content.decode()
    heading = re.search(r'<h2 id="current-heading">(.*?)</h2>', html, re.S).group(1)
    assert " ".join(heading.split()) == "Round 1, open now"
    met = re.search(r'<h2 id="past-heading".*?</section>', html, re.S).group(0)
    partners = [p.name for p in response.context["partners"]]
    assert "Nobody yet" not in met
    assert " ".join(re.sub(r"<[^>]+>", " ", met).split()).startswith(
        f"People you have met Round 1: {partners[0]} ("
    )
