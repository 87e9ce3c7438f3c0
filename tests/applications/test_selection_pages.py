"""The manager's selection pages and actions: who may reach them, what they show, and in how many queries."""

import datetime
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications import rules
from applications.enums import ApplicationStatus, AvailabilityAnswer, Notify, RoleType
from applications.models import Application
from applications.services import application_set_status, applications_set_status
from cohort_site.mail.enums import EmailStatus
from cohort_site.mail.models import OutgoingEmail
from tests.factories import (
    ApplicationFactory,
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    MemberFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
    application_in,
)

S = ApplicationStatus


# --- Who may ----------------------------------------------------------------------------------------------------


def test_predicates(db):
    assert rules.can_manage_selection(AnonymousUser()) is False
    assert rules.can_manage_selection(UserFactory()) is False
    assert rules.can_manage_selection(StaffFactory()) is True
    assert rules.can_manage_selection(StaffFactory(is_active=False)) is False


def manager_endpoints(cohort, application):
    slug = cohort.programme.slug
    return [
        ("get", reverse("applications:selection_programme", args=[slug])),
        ("get", reverse("applications:selection_cohort", args=[cohort.pk])),
        ("get", reverse("applications:selection_emails", args=[slug])),
        ("post", reverse("applications:selection_emails", args=[slug])),
        ("post", reverse("applications:selection_next", args=[slug])),
        ("post", reverse("applications:selection_promote", args=[cohort.pk])),
        ("post", reverse("applications:selection_from_waitlist", args=[cohort.pk])),
        ("post", reverse("applications:selection_waitlist_move", args=[application.pk])),
        *(
            (method, reverse("applications:selection_decide", args=[action]) + f"?ids={application.pk}")
            for action in ("offer", "waitlist", "decline")
            for method in ("get", "post")
        ),
    ]


@pytest.mark.parametrize("who", ["anonymous", "member", "applicant"])
def test_no_manager_page_or_action_exists_for_non_staff(client, db, who):
    cohort = CohortFactory()
    application = application_in(S.WAITLISTED, programme=cohort.programme)
    if who == "member":
        client.force_login(MemberFactory(cohort=cohort).user)
    elif who == "applicant":
        client.force_login(UserFactory(email=application.email))

    codes = {
        url: getattr(client, method)(url, {"notify": "send", "count": 1}).status_code
        for method, url in manager_endpoints(cohort, application)
    }

    # Signed out: to sign in first (a manager whose session timed out); signed in but not staff: nothing there.
    assert set(codes.values()) == ({302} if who == "anonymous" else {404})
    application.refresh_from_db()
    assert (application.status, Application.objects.count(), cohort.programme.cohorts.count()) == (
        S.WAITLISTED,
        Application.objects.count(),
        1,
    )


def test_staff_reach_every_manager_page(client, db):
    cohort = CohortFactory()
    application = application_in(S.WAITLISTED, programme=cohort.programme)
    client.force_login(StaffFactory())

    codes = [
        client.get(url).status_code
        for method, url in manager_endpoints(cohort, application)
        if method == "get"
    ]

    assert codes == [200] * 6


# --- The cohort page --------------------------------------------------------------------------------------------


def fill_cohort(cohort, members: int):
    tuesday = CandidateTimeFactory(programme=cohort.programme, weekday=1, start_time=datetime.time(14))
    thursday = CandidateTimeFactory(programme=cohort.programme, weekday=3, start_time=datetime.time(10))
    for n in range(members):
        member = MemberFactory(
            cohort=cohort, role_type=RoleType.FRONT_LINE if n % 2 == 0 else RoleType.DESIGNING
        )
        AvailabilityFactory(application=member, candidate_time=tuesday, answer=AvailabilityAnswer.YES)
        AvailabilityFactory(application=member, candidate_time=thursday, answer=AvailabilityAnswer.IF_NEED_BE)
        application_in(S.WAITLISTED, programme=cohort.programme)


@pytest.mark.parametrize("members", [1, 3, 20])
def test_cohort_page_queries_do_not_grow_with_the_group(client, db, django_assert_num_queries, members):
    cohort = CohortFactory(size=20)
    fill_cohort(cohort, members)
    client.force_login(StaffFactory())

    page = reverse("applications:selection_cohort", args=[cohort.pk])
    client.get(page)  # the process's first content-type lookup is cached, not the page's

    with django_assert_num_queries(11):  # the 11th: when the cut-off session starts
        response = client.get(page)

    overview = response.context["overview"]
    assert (response.status_code, overview.taken, len(overview.waitlist)) == (200, members, members)


def test_cohort_page_shows_fill_people_mix_waitlist_and_best_times(client, db):
    cohort = CohortFactory(size=20, name="Group 1")
    tuesday = CandidateTimeFactory(programme=cohort.programme, weekday=1, start_time=datetime.time(14))
    thursday = CandidateTimeFactory(programme=cohort.programme, weekday=3, start_time=datetime.time(10))
    people = [
        ("Ann", "Age UK", RoleType.FRONT_LINE, "yes", "no"),
        ("Bo", "Age UK", RoleType.DESIGNING, "yes", "yes"),
        ("Cy", "Mind", RoleType.FRONT_LINE, "if_need_be", "yes"),
    ]
    for name, organisation, role_type, on_tuesday, on_thursday in people:
        member = MemberFactory(cohort=cohort, name=name, organisation=organisation, role_type=role_type)
        AvailabilityFactory(application=member, candidate_time=tuesday, answer=on_tuesday)
        AvailabilityFactory(application=member, candidate_time=thursday, answer=on_thursday)
    offered = application_in(
        S.OFFERED, cohort=cohort, name="Dee", organisation="Mind", role_type=RoleType.FRONT_LINE
    )
    for name in ("Eve", "Fay"):
        application_in(S.WAITLISTED, programme=cohort.programme, name=name)
    client.force_login(StaffFactory())

    response = client.get(reverse("applications:selection_cohort", args=[cohort.pk]))

    overview = response.context["overview"]
    page = response.content.decode()
    assert (overview.taken, overview.free) == (4, 16)
    assert '<span id="fill-text" class="fill">4/20</span>' in page
    assert [a.name for a in overview.confirmed] == ["Ann", "Bo", "Cy"]
    assert overview.offered == [offered]
    assert [a.name for a in overview.waitlist] == ["Eve", "Fay"]
    assert overview.organisations == [("Age UK", 2), ("Mind", 2)]
    assert overview.role_types == [(RoleType.FRONT_LINE.label, 3), (RoleType.DESIGNING.label, 1)]
    assert [
        (time, ranked.rank, ranked.can_come, ranked.said_no, [a.name for a in ranked.unanswered])
        for ranked, time in overview.best_times
    ] == [(tuesday, 1, 3, 0, ["Dee"]), (thursday, 2, 2, 1, ["Dee"])]
    assert "next on the waitlist is Eve" in page


@pytest.mark.parametrize("cohorts", [1, 3])
def test_programme_page_queries_do_not_grow(client, db, django_assert_num_queries, cohorts):
    first = CohortFactory(number=1)
    for number in range(2, cohorts + 1):
        CohortFactory(programme=first.programme, number=number)
        application_in(S.WAITLISTED, programme=first.programme)
    client.force_login(StaffFactory())

    with django_assert_num_queries(8):
        response = client.get(reverse("applications:selection_programme", args=[first.programme.slug]))

    assert len(response.context["cohorts"]) == cohorts


# --- Decisions from the admin list ------------------------------------------------------------------------------


def test_admin_actions_lead_to_the_decision_page(admin_client, db):
    applications = ApplicationFactory.create_batch(2)
    ids = sorted(a.pk for a in applications)
    for action in ("offer_places", "waitlist", "decline"):
        response = admin_client.post(
            reverse("admin:applications_application_changelist"),
            {"action": action, "_selected_action": ids},
        )
        short = {"offer_places": "offer"}.get(action, action)
        assert (response.status_code, response["Location"]) == (
            302,
            reverse("applications:selection_decide", args=[short]) + f"?ids={ids[0]},{ids[1]}",
        )


def test_offer_page_suggests_the_confirm_by_date_in_the_format_a_date_input_reads(client, db):
    cohort = CohortFactory(name="Group 1")
    chosen = ApplicationFactory(programme=cohort.programme)
    client.force_login(StaffFactory())
    expected = timezone.localdate(timezone.now() + cohort.programme.offer_valid_for, cohort.programme.tz)

    response = client.get(reverse("applications:selection_decide", args=["offer"]) + f"?ids={chosen.pk}")

    field = re.search(r'<input type="date" name="expires_on"[^>]*>', response.content.decode()).group(0)
    assert re.search(r'value="([^"]*)"', field).group(1) == expected.isoformat()


def offer_form(cohort, notify=Notify.DRAFT):
    return {
        "cohort": cohort.pk,
        "expires_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "notify": notify,
    }


def test_offer_beyond_the_cap_is_refused_on_the_page_and_keeps_the_choices(client, db):
    cohort = CohortFactory(size=20, name="Group 1")
    MemberFactory.create_batch(17, cohort=cohort)
    chosen = ApplicationFactory.create_batch(5, programme=cohort.programme)
    client.force_login(StaffFactory())
    url = (
        reverse("applications:selection_decide", args=["offer"])
        + "?ids="
        + ",".join(str(a.pk) for a in chosen)
    )

    response = client.post(url, offer_form(cohort))

    assert response.status_code == 409
    assert response.context["form"].non_field_errors() == ["3 places left in Group 1; you selected 5."]
    assert response.context["form"]["cohort"].value() == str(cohort.pk)
    assert Application.objects.filter(status=S.OFFERED).count() == 0


def test_offers_as_drafts_are_previewed_and_sent_in_bulk_once(client, db, django_capture_on_commit_callbacks):
    cohort = CohortFactory(size=20, name="Group 1")
    chosen = ApplicationFactory.create_batch(3, programme=cohort.programme)
    manager = StaffFactory()
    client.force_login(manager)
    url = (
        reverse("applications:selection_decide", args=["offer"])
        + "?ids="
        + ",".join(str(a.pk) for a in chosen)
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, offer_form(cohort, Notify.DRAFT))

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("applications:selection_cohort", args=[cohort.pk]),
    )
    assert mail.outbox == []
    emails_url = reverse("applications:selection_emails", args=[cohort.programme.slug])
    preview = client.get(emails_url)
    drafts = preview.context["drafts"]
    assert sorted(e.to for e in drafts) == sorted(a.email for a in chosen)
    assert all(e.subject.startswith("[Action required] Confirm your place by ") for e in drafts)
    assert "Confirm my place" not in preview.content.decode()
    assert "/offer/" in preview.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(emails_url, {"email": [e.pk for e in drafts]})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(emails_url, {"email": [e.pk for e in drafts]})

    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in chosen)
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
    assert set(
        Application.objects.filter(pk__in=[a.pk for a in chosen]).values_list("status", flat=True)
    ) == {S.OFFERED}
    changes = {c.changed_by for a in chosen for c in a.status_changes.all()}
    assert changes == {manager}


def test_waitlist_and_decline_from_the_decision_page(client, db, django_capture_on_commit_callbacks):
    ann, bo = ApplicationFactory.create_batch(2)
    bo.programme = ann.programme
    bo.save()
    client.force_login(StaffFactory())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("applications:selection_decide", args=["waitlist"]) + f"?ids={ann.pk}", {"notify": "send"}
        )
        client.post(
            reverse("applications:selection_decide", args=["decline"]) + f"?ids={bo.pk}", {"notify": "send"}
        )

    ann.refresh_from_db()
    bo.refresh_from_db()
    assert (ann.status, ann.waitlist_position, bo.status) == (S.WAITLISTED, 1, S.DECLINED)
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            (ann.email, f"You are on the waitlist for {ann.programme.title}"),
            (bo.email, f"Your application to {ann.programme.title}"),
        ]
    )


def test_next_group_button_creates_the_group(client, db):
    cohort = CohortFactory(number=1)
    client.force_login(StaffFactory())

    response = client.post(reverse("applications:selection_next", args=[cohort.programme.slug]))

    new = cohort.programme.cohorts.get(number=2)
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("applications:selection_cohort", args=[new.pk]),
    )


def test_admin_shows_the_audit_trail(admin_client, db):
    application = ApplicationFactory(name="Sam Okafor")
    applications_set_status(applications=[application], status=S.WAITLISTED, notify=Notify.NONE)
    application_set_status(
        application=application, status=S.DECLINED, notify=Notify.NONE, note="Not this time"
    )

    listing = admin_client.get(reverse("admin:applications_applicationstatuschange_changelist"))
    detail = admin_client.get(reverse("admin:applications_application_change", args=[application.pk]))

    assert listing.context["cl"].result_count == 2
    assert "Not this time" in detail.content.decode()


@pytest.mark.parametrize("drafts", [1, 3])
def test_decision_emails_page_queries_do_not_grow(client, db, django_assert_num_queries, drafts):
    cohort = CohortFactory()
    chosen = ApplicationFactory.create_batch(drafts, programme=cohort.programme)
    applications_set_status(applications=chosen, status=S.WAITLISTED, notify=Notify.DRAFT)
    client.force_login(StaffFactory())

    with django_assert_num_queries(5):
        response = client.get(reverse("applications:selection_emails", args=[cohort.programme.slug]))

    assert len(response.context["drafts"]) == drafts


def test_a_group_cannot_shrink_below_its_places_taken(admin_client, db):
    cohort = CohortFactory(size=5)
    MemberFactory.create_batch(3, cohort=cohort)
    url = reverse("admin:applications_cohort_change", args=[cohort.pk])
    data = {
        "programme": cohort.programme.pk,
        "number": cohort.number,
        "name": cohort.name,
        "size": 2,
        "first_session_week": cohort.first_session_week.isoformat(),
    }

    response = admin_client.post(url, data)

    assert response.context["adminform"].form.errors == {
        "size": ["3 places are already offered or confirmed; the size must be at least 3."]
    }


def test_promote_without_an_email_choice_offers_nobody_and_says_why(client, db):
    cohort = CohortFactory(size=2, name="Group 1")
    waiting = application_in(S.WAITLISTED, programme=cohort.programme)
    client.force_login(StaffFactory())

    response = client.post(reverse("applications:selection_promote", args=[cohort.pk]), follow=True)

    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED
    assert [str(m) for m in response.context["messages"]] == [
        "Nothing was offered: choose whether to send the email now or save it as a draft."
    ]


def test_the_group_page_says_when_a_free_place_is_offered_after_the_cut_off(client, db):
    cohort = CohortFactory(size=2, name="Group 1")
    cohort.programme.freed_places_until_session = 2
    cohort.programme.save()
    second = [SessionFactory(cohort=cohort, number=n) for n in (1, 2)][1]
    MemberFactory(cohort=cohort)
    application_in(S.WAITLISTED, programme=cohort.programme, name="Ada Lovelace")
    manager = StaffFactory()
    page = reverse("applications:selection_cohort", args=[cohort.pk])

    notices = []
    for moment in (second.starts_at - timedelta(seconds=1), second.starts_at):
        with time_machine.travel(moment, tick=False):
            client.force_login(manager)  # a staff session ends when idle: signed in at that moment
            html = client.get(page).content.decode()
            assert "Offer Ada Lovelace a place" in html
        notice = re.search(r'<p class="alert alert-warning" id="past-cut-off">\s*(.*?)\s*</p>', html, re.S)
        notices.append(notice and " ".join(notice[1].split()))

    assert notices == [
        None,
        "Group 1 has reached session 2: from then on a freed place is left empty, as this programme is set up. "
        "Offer it only if Ada Lovelace can still catch up.",
    ]
