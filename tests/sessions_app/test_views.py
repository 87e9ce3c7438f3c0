import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains

from applications.enums import AvailabilityAnswer
from sessions_app import services
from sessions_app.enums import AttendanceStatus, SessionStatus
from sessions_app.join_links import join_path
from sessions_app.models import Attendance, Guest, Session
from tests.factories import (
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    GuestFactory,
    MemberFactory,
    ProgrammeFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
)

UTC = datetime.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


@pytest.fixture
def brief(db):
    """The brief's own programme: sessions in the weeks of 9 August to 13 September 2021. It is 27 July."""
    with time_machine.travel(datetime.datetime(2021, 7, 27, 9, 0, tzinfo=UTC), tick=False):
        programme = ProgrammeFactory(
            applications_open_at=datetime.datetime(2021, 6, 28, 9, 0, tzinfo=UTC),
            applications_close_at=datetime.datetime(2021, 7, 21, 8, 0, tzinfo=UTC),
            confirmation_week=datetime.date(2021, 7, 26),
            first_session_week=datetime.date(2021, 8, 9),
        )
        cohort = CohortFactory(programme=programme, name="Group 1")
        monday = CandidateTimeFactory(programme=programme, weekday=0, start_time=datetime.time(10, 0))
        tuesday = CandidateTimeFactory(programme=programme, weekday=1, start_time=datetime.time(14, 0))
        wednesday = CandidateTimeFactory(programme=programme, weekday=2, start_time=datetime.time(10, 0))
        answers = {
            "Ada Lovelace": ("yes", "yes", "no"),
            "Bo Diddley": ("yes", "if_need_be", "no"),
            "Cy Twombly": ("yes", "no", "yes"),
        }
        for name, (mon, tue, wed) in answers.items():
            member = MemberFactory(cohort=cohort, name=name)
            for slot, answer in ((monday, mon), (tuesday, tue), (wednesday, wed)):
                AvailabilityFactory(
                    application=member, candidate_time=slot, answer=AvailabilityAnswer(answer)
                )
        yield {
            "programme": programme,
            "cohort": cohort,
            "monday": monday,
            "tuesday": tuesday,
            "wednesday": wednesday,
        }


STAFF_PAGES = ("cohorts", "cohort_schedule", "session_add", "session")


def staff_url(name, session):
    if name == "cohorts":
        return reverse("sessions:cohorts")
    if name == "session":
        return reverse("sessions:session", kwargs={"pk": session.pk})
    return reverse(f"sessions:{name}", kwargs={"pk": session.cohort.pk})


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_pages_ask_the_signed_out_to_sign_in_and_are_404_for_others(client, db, page):
    session = SessionFactory()
    member = MemberFactory(cohort=session.cohort).user
    statuses = []
    for user in (None, member, StaffFactory()):
        client.logout()
        if user:
            client.force_login(user)
        statuses.append(client.get(staff_url(page, session)).status_code)

    assert statuses == [302, 404, 200]  # signed out: to sign in first


def test_my_schedule_asks_to_sign_in(client, db):
    response = client.get(reverse("sessions:my_schedule"))

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/schedule/")


def test_ranking_page_shows_heatmap_top_choice_and_bank_holiday(brief, client):
    client.force_login(StaffFactory())

    with time_machine.travel(datetime.datetime(2021, 7, 27, 9, 0, tzinfo=UTC), tick=False):
        response = client.get(reverse("sessions:cohort_schedule", kwargs={"pk": brief["cohort"].pk}))

    assert response.status_code == 200
    assert [(r.rank, c.label, r.can_come) for r, c in response.context["ranking"]] == [
        (1, "Monday 10:00–12:00", 3),
        (2, "Tuesday 14:00–16:00", 2),
        (3, "Wednesday 10:00–12:00", 1),
    ]
    assert response.context["form"]["candidate_time"].value() == brief["monday"].pk
    page = text(response)
    assert "Bank holiday: Late Summer Bank Holiday on Monday 30 August falls in these weeks." in page
    assert "Leaves out: Ada Lovelace, Bo Diddley" in page  # Wednesday
    assert "Only if need be: Bo Diddley" in page  # Tuesday
    html = response.content.decode()
    assert html.count('class="heat-cell heat-level-5 heat-top heat-holiday"') == 1
    assert html.count('class="heat-cell heat-level-3"') == 1
    assert html.count('class="heat-cell heat-level-2"') == 1
    assert html.count("heat-none") == 3  # 2 start times × 3 days, 3 of them offered
    assert 'href="/static/css/schedule.css"' in html
    assert "style=" not in html


def named_top_choice(response) -> list[str]:
    """The weekly times a page marks as its top choice, as the page words them."""
    return re.findall(r"(\w+day \d\d:\d\d–\d\d:\d\d) Top choice", text(response))


def test_selection_and_schedule_pages_name_the_same_best_time(client, db):
    """Most say yes to Tuesday, but everyone can come on Thursday (three of them only if need be): both pages
    rank by the one finder, so both name Thursday."""
    cohort = CohortFactory(name="Group 1")
    tuesday = CandidateTimeFactory(programme=cohort.programme, weekday=1, start_time=datetime.time(14, 0))
    thursday = CandidateTimeFactory(programme=cohort.programme, weekday=3, start_time=datetime.time(10, 0))
    answers = {
        "Ada Lovelace": ("yes", "if_need_be"),
        "Bo Diddley": ("yes", "if_need_be"),
        "Cy Twombly": ("no", "yes"),
        "Di Fossey": ("no", "if_need_be"),
    }
    for name, (on_tuesday, on_thursday) in answers.items():
        member = MemberFactory(cohort=cohort, name=name)
        AvailabilityFactory(application=member, candidate_time=tuesday, answer=AvailabilityAnswer(on_tuesday))
        AvailabilityFactory(
            application=member, candidate_time=thursday, answer=AvailabilityAnswer(on_thursday)
        )
    client.force_login(StaffFactory())

    selection = client.get(reverse("applications:selection_cohort", args=[cohort.pk]))
    schedule = client.get(reverse("sessions:cohort_schedule", kwargs={"pk": cohort.pk}))

    assert (selection.status_code, schedule.status_code) == (200, 200)
    assert [
        (time.label, len(ranked.yes), ranked.can_come)
        for ranked, time in selection.context["overview"].best_times
    ] == [
        ("Thursday 10:00–12:00", 1, 4),
        ("Tuesday 14:00–16:00", 2, 2),
    ]
    assert named_top_choice(selection) == ["Thursday 10:00–12:00"]
    assert named_top_choice(schedule) == ["Thursday 10:00–12:00"]
    assert "Thursday 10:00–12:00 Top choice 4 1 3 0 0" in text(selection)
    assert "1. Thursday 10:00–12:00 Top choice 4 of 4 can come: 1 yes, 3 if need be." in text(schedule)


@pytest.mark.parametrize("count", [1, 3])
def test_ranking_page_queries_do_not_grow(client, db, count, django_assert_num_queries):
    cohort = CohortFactory()
    times = [CandidateTimeFactory(programme=cohort.programme, weekday=day) for day in (1, 3)]
    for member in MemberFactory.create_batch(count, cohort=cohort):
        for time in times:
            AvailabilityFactory(application=member, candidate_time=time, answer=AvailabilityAnswer.YES)
    client.force_login(StaffFactory())

    with django_assert_num_queries(10):
        response = client.get(reverse("sessions:cohort_schedule", kwargs={"pk": cohort.pk}))

    assert (response.context["member_count"], len(response.context["ranking"])) == (count, 2)


def test_confirming_the_preselected_time_creates_sessions_and_invites(
    brief, client, django_capture_on_commit_callbacks
):
    client.force_login(StaffFactory())
    url = reverse("sessions:cohort_schedule", kwargs={"pk": brief["cohort"].pk})

    with time_machine.travel(datetime.datetime(2021, 7, 27, 9, 0, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url,
                {
                    "candidate_time": brief["tuesday"].pk,
                    "join_url": "meet.example.org/g1",
                    "venue": "",
                    "action": "confirm",
                },
            )
        again = client.post(url, {"candidate_time": brief["tuesday"].pk})
        page = client.get(url)

    assert (response.status_code, response["Location"], again.status_code) == (302, url, 302)
    assert [
        (s.number, f"{s.starts_at.astimezone(LONDON):%a %d %b %H:%M}", s.join_url)
        for s in Session.objects.order_by("number")
    ] == [
        (1, "Tue 10 Aug 14:00", "https://meet.example.org/g1"),
        (2, "Tue 17 Aug 14:00", "https://meet.example.org/g1"),
        (3, "Tue 24 Aug 14:00", "https://meet.example.org/g1"),
        (4, "Tue 31 Aug 14:00", "https://meet.example.org/g1"),
        (5, "Tue 07 Sep 14:00", "https://meet.example.org/g1"),
        (6, "Tue 14 Sep 14:00", "https://meet.example.org/g1"),
    ]
    assert len(mail.outbox) == 3
    assert "Weekly on Tuesdays at 14:00" in text(page)


def test_confirm_with_a_bad_link_keeps_what_was_typed(brief, client):
    client.force_login(StaffFactory())

    response = client.post(
        reverse("sessions:cohort_schedule", kwargs={"pk": brief["cohort"].pk}),
        {"candidate_time": brief["tuesday"].pk, "join_url": "not a link", "venue": "Room 4"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"join_url": ["Enter a valid URL."]}
    assert 'value="Room 4"' in response.content.decode()
    assert Session.objects.count() == 0


def test_manager_moves_cancels_and_invites_a_guest_from_the_session_page(
    brief, client, django_capture_on_commit_callbacks
):
    services.schedule_confirm(cohort=brief["cohort"], candidate_time=brief["tuesday"])
    session = Session.objects.get(number=3)
    client.force_login(StaffFactory())
    url = reverse("sessions:session", kwargs={"pk": session.pk})
    mail.outbox.clear()

    with (
        time_machine.travel(datetime.datetime(2021, 7, 27, 9, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        moved = client.post(url, {"action": "move", "move-date": "2021-08-26", "move-start_time": "10:00"})
        guest = client.post(
            url,
            {
                "action": "guest",
                "guest-name": "Dee Expert",
                "guest-email": "dee@example.com",
                "guest-topic": "Research",
            },
        )
        duplicate = client.post(
            url,
            {"action": "guest", "guest-name": "Dee", "guest-email": "DEE@example.com", "guest-topic": ""},
        )
        refused = client.post(url, {"action": "cancel", "cancel-reason": "Illness"})
        cancelled = client.post(url, {"action": "cancel", "cancel-reason": "Illness", "cancel-confirm": "on"})
        after = client.post(url, {"action": "move", "move-date": "2021-08-27", "move-start_time": "10:00"})

    session.refresh_from_db()
    assert [moved.status_code, guest.status_code, duplicate.status_code, refused.status_code] == [
        302,
        302,
        400,
        400,
    ]
    assert duplicate.context["forms"]["guest"].errors == {
        "email": ["This person is already invited to this session."]
    }
    assert refused.context["forms"]["cancel"].errors == {"confirm": ["This field is required."]}
    assert (cancelled.status_code, after.status_code) == (302, 404)
    assert (session.status, session.sequence, f"{session.starts_at.astimezone(LONDON):%d %H:%M}") == (
        SessionStatus.CANCELLED,
        2,
        "26 10:00",
    )
    assert list(Guest.objects.values_list("name", "email")) == [("Dee Expert", "dee@example.com")]
    assert (
        sorted(m.subject.split(":")[0] for m in mail.outbox)
        == ["Cancelled"] * 4 + ["Invitation"] + ["Updated"] * 3
    )


def test_move_to_a_time_the_clocks_skip_is_refused(brief, client):
    services.schedule_confirm(cohort=brief["cohort"], candidate_time=brief["tuesday"])
    session = Session.objects.get(number=6)
    client.force_login(StaffFactory())

    with time_machine.travel(datetime.datetime(2021, 7, 27, 9, 0, tzinfo=UTC), tick=False):
        response = client.post(
            reverse("sessions:session", kwargs={"pk": session.pk}),
            {"action": "move", "move-date": "2022-03-27", "move-start_time": "01:30"},
        )

    assert response.status_code == 400
    assert response.context["forms"]["move"].errors == {
        "start_time": ["The clocks go forward at that time on that day; choose another time."]
    }


def test_attendance_is_recorded_after_the_session(brief, client):
    services.schedule_confirm(cohort=brief["cohort"], candidate_time=brief["tuesday"])
    session = Session.objects.get(number=1)
    members = {m.name: m for m in brief["cohort"].applications.all()}
    services.apologies_send(session=session, member=members["Cy Twombly"], note="Away")
    staff = StaffFactory()
    url = reverse("sessions:session", kwargs={"pk": session.pk})
    data = {
        "action": "attendance",
        f"attendance-member_{members['Ada Lovelace'].pk}": "attended",
        f"attendance-member_{members['Bo Diddley'].pk}": "absent",
        f"attendance-member_{members['Cy Twombly'].pk}": "apologies",
    }

    with time_machine.travel(datetime.datetime(2021, 8, 9, 9, 0, tzinfo=UTC), tick=False):
        client.force_login(staff)
        too_early = client.post(url, data)
    with time_machine.travel(datetime.datetime(2021, 8, 10, 15, 0, tzinfo=UTC), tick=False):
        client.force_login(staff)
        page = client.get(url)
        recorded = client.post(url, data)

    assert (too_early.status_code, recorded.status_code) == (404, 302)
    assert page.context["forms"]["attendance"][f"member_{members['Cy Twombly'].pk}"].value() == "apologies"
    assert sorted(Attendance.objects.values_list("member__name", "status", "note")) == [
        ("Ada Lovelace", AttendanceStatus.ATTENDED, ""),
        ("Bo Diddley", AttendanceStatus.ABSENT, ""),
        ("Cy Twombly", AttendanceStatus.APOLOGIES, "Away"),
    ]


def test_mark_everyone_present_keeps_apologies_and_is_safe_to_press_twice(brief, client):
    services.schedule_confirm(cohort=brief["cohort"], candidate_time=brief["tuesday"])
    session = Session.objects.get(number=1)
    members = {m.name: m for m in brief["cohort"].applications.all()}
    services.apologies_send(session=session, member=members["Cy Twombly"], note="Away")
    url = reverse("sessions:session", kwargs={"pk": session.pk})

    with time_machine.travel(datetime.datetime(2021, 8, 10, 15, 0, tzinfo=UTC), tick=False):
        client.force_login(StaffFactory())
        first = client.post(url, {"action": "everyone_present"}, follow=True)
        client.post(url, {"action": "everyone_present"})

    assert [str(m) for m in first.context["messages"]] == [
        "2 members marked as attended. Change anyone who did not come."
    ]
    assert sorted(Attendance.objects.values_list("member__name", "status", "note")) == [
        ("Ada Lovelace", AttendanceStatus.ATTENDED, ""),
        ("Bo Diddley", AttendanceStatus.ATTENDED, ""),
        ("Cy Twombly", AttendanceStatus.APOLOGIES, "Away"),
    ]


def test_mark_everyone_present_is_refused_before_the_session(brief, client):
    services.schedule_confirm(cohort=brief["cohort"], candidate_time=brief["tuesday"])
    session = Session.objects.get(number=1)

    with time_machine.travel(datetime.datetime(2021, 8, 9, 9, 0, tzinfo=UTC), tick=False):
        client.force_login(StaffFactory())
        response = client.post(
            reverse("sessions:session", kwargs={"pk": session.pk}), {"action": "everyone_present"}
        )

    assert (response.status_code, Attendance.objects.count()) == (404, 0)


def test_add_session_after_the_review(brief, client, django_capture_on_commit_callbacks):
    services.schedule_confirm(cohort=brief["cohort"], candidate_time=brief["tuesday"])
    url = reverse("sessions:session_add", kwargs={"pk": brief["cohort"].pk})

    with time_machine.travel(datetime.datetime(2021, 9, 1, 9, 0, tzinfo=UTC), tick=False):
        client.force_login(StaffFactory())
        form = client.get(url).context["form"]
        response = client.post(
            url,
            {"date": "2021-09-21", "start_time": "14:00", "topic": "Next steps", "join_url": "", "venue": ""},
        )

    assert (form["date"].value(), form["start_time"].value()) == (
        datetime.date(2021, 9, 21),
        datetime.time(14, 0),
    )
    assert response.status_code == 302
    assert list(Session.objects.filter(number=7).values_list("topic", "kind")) == [("Next steps", "session")]


# --- Members' schedule -------------------------------------------------------------------------------


def make_member_sessions(count: int):
    now = datetime.datetime(2021, 8, 1, 9, 0, tzinfo=UTC)
    cohort = CohortFactory(first_session_week=datetime.date(2021, 8, 9))
    user = UserFactory(timezone="Asia/Kolkata")
    MemberFactory(cohort=cohort, user=user, email=user.email)
    sessions = [
        SessionFactory(cohort=cohort, number=n, join_url=f"https://meet.example.org/{n}")
        for n in range(1, count + 1)
    ]
    return user, sessions, now


@pytest.mark.parametrize("count", [1, 3])
def test_my_schedule_shows_next_session_first_with_join_link_in_members_zone(
    client, db, count, django_assert_num_queries
):
    user, sessions, now = make_member_sessions(count)
    services.apologies_send(session=sessions[-1], member=user.applications.get(), now=now)

    with time_machine.travel(now, tick=False):
        client.force_login(user)
        with django_assert_num_queries(5):
            response = client.get(reverse("sessions:my_schedule"))

    assert response.context["next_session"] == sessions[0]
    assert response.context["later_sessions"] == sessions[1:]
    page = text(response)
    # Tuesday 10 August, 14:00 in London is 18:30 in Kolkata.
    assert "Tuesday 10 August 2021, 18:30 –20:30 (India time)" in page
    assert page.index("Next session") < page.index("Session 1")
    # The member's own join link, the same for every session; it opens the video link when the time comes.
    # Compared as HTML, so the whitespace between the attributes is the template's own affair.
    assertContains(
        response,
        f'<a class="btn btn-primary" href="{join_path(user.applications.get())}" rel="noopener">Join the session</a>',
        html=True,
    )
    assert "Your join link is the same for every session: it opens 15 minutes before each one starts." in page
    assert page.count("I can come after all") == 1


def test_my_schedule_defaults_to_the_programmes_zone(client, db):
    session = SessionFactory(number=1)
    user = MemberFactory(cohort=session.cohort).user

    with time_machine.travel(session.starts_at - datetime.timedelta(days=1), tick=False):
        client.force_login(user)
        response = client.get(reverse("sessions:my_schedule"))

    assert response.context["tz"].key == "Europe/London"
    assert f"{session.starts_at.astimezone(LONDON):%H:%M}" == "14:00"
    assert "14:00 –16:00 (UK time)" in text(response)


def test_my_schedule_for_someone_in_no_group(client, db):
    client.force_login(UserFactory())

    response = client.get(reverse("sessions:my_schedule"))

    assert "You are not a member of a group yet." in text(response)


def test_member_sends_and_withdraws_apologies(client, db, django_capture_on_commit_callbacks):
    session = SessionFactory(number=1)
    member = MemberFactory(cohort=session.cohort)
    url = reverse("sessions:apologies", kwargs={"pk": session.pk})

    with time_machine.travel(session.starts_at - datetime.timedelta(days=1), tick=False):
        client.force_login(member.user)
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post(url, {"note": "Funding deadline"})
        recorded = list(Attendance.objects.values_list("status", "note"))
        withdrawn = client.post(url, {"withdraw": "1"})

    assert (sent.status_code, withdrawn.status_code) == (302, 302)
    assert recorded == [(AttendanceStatus.APOLOGIES, "Funding deadline")]
    assert Attendance.objects.count() == 0
    assert [m.to for m in mail.outbox] == [[session.cohort.programme.contact_email]]


def test_apologies_for_another_groups_session_is_404(client, db):
    session = SessionFactory()
    client.force_login(MemberFactory().user)

    response = client.post(reverse("sessions:apologies", kwargs={"pk": session.pk}), {"note": ""})

    assert (response.status_code, Attendance.objects.count()) == (404, 0)


# --- Lists at 1 and 3 items, same queries ---------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_cohort_list_queries(client, db, count, django_assert_num_queries):
    members = [MemberFactory(cohort=CohortFactory()) for _ in range(count)]
    client.force_login(StaffFactory())

    # session, user, the programmes to choose from (issue 20), the groups
    with django_assert_num_queries(5):
        response = client.get(reverse("sessions:cohorts"))
    with django_assert_num_queries(5):
        filtered = client.get(reverse("sessions:cohorts") + f"?programme={members[0].programme.slug}")

    assert len(response.context["cohorts"]) == count
    assert list(filtered.context["cohorts"]) == [members[0].cohort]


@pytest.mark.parametrize("count", [1, 3])
def test_cohort_sessions_list_queries(client, db, count, django_assert_num_queries):
    cohort = CohortFactory()
    for number in range(1, count + 1):
        GuestFactory(session=SessionFactory(cohort=cohort, number=number))
    client.force_login(StaffFactory())

    with django_assert_num_queries(8):
        response = client.get(reverse("sessions:cohort_schedule", kwargs={"pk": cohort.pk}))

    assert len(response.context["sessions"]) == count


# --- Issue 15: the dates are previewed first; a confirmed time can be changed ----------------------------


def test_previewing_a_time_shows_its_dates_with_the_bank_holiday_skipped_and_creates_nothing(brief, client):
    client.force_login(StaffFactory())
    url = reverse("sessions:cohort_schedule", kwargs={"pk": brief["cohort"].pk})

    with time_machine.travel(datetime.datetime(2021, 7, 27, 9, 0, tzinfo=UTC), tick=False):
        response = client.post(url, {"candidate_time": brief["monday"].pk, "action": "preview"})

    page = text(response)
    assert response.status_code == 200
    assert [
        (f"{week.date:%d %b}", week.planned and week.planned.number)
        for week in response.context["plan"].weeks
    ] == [
        ("09 Aug", 1),
        ("16 Aug", 2),
        ("23 Aug", 3),
        ("30 Aug", None),
        ("06 Sep", 4),
        ("13 Sep", 5),
        ("20 Sep", 6),
    ]
    assert (
        "Mon 30 Aug 2021 No session Skipped: the sessions move on a week Late Summer Bank Holiday "
        "Hold a session on Late Summer Bank Holiday (30 August) anyway" in page
    )
    assert (Session.objects.count(), len(mail.outbox)) == (0, 0)


@pytest.mark.parametrize(("keep", "fourth"), [([], "Mon 06 Sep 10:00"), (["2021-08-30"], "Mon 30 Aug 10:00")])
def test_confirming_the_preview_creates_those_dates(
    brief, client, keep, fourth, django_capture_on_commit_callbacks
):
    client.force_login(StaffFactory())
    url = reverse("sessions:cohort_schedule", kwargs={"pk": brief["cohort"].pk})

    with (
        time_machine.travel(datetime.datetime(2021, 7, 27, 9, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url, {"candidate_time": brief["monday"].pk, "keep": keep, "action": "confirm"})

    assert (response.status_code, response["Location"]) == (302, url)
    assert [f"{s.starts_at.astimezone(LONDON):%a %d %b %H:%M}" for s in Session.objects.order_by("number")][
        3
    ] == fourth
    assert len(mail.outbox) == 3


def test_changing_the_time_previews_then_moves_the_sessions_to_come(
    brief, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_confirm(
            cohort=brief["cohort"],
            candidate_time=brief["tuesday"],
            now=datetime.datetime(2021, 7, 27, tzinfo=UTC),
        )
    mail.outbox.clear()
    url = reverse("sessions:cohort_retime", kwargs={"pk": brief["cohort"].pk})
    # Wednesday 18 August: sessions 1 and 2 (10 and 17 August) are held.
    with time_machine.travel(datetime.datetime(2021, 8, 18, 9, 0, tzinfo=UTC), tick=False):
        client.force_login(StaffFactory())
        form_page = client.get(url)
        preview = client.post(url, {"candidate_time": brief["monday"].pk, "action": "preview"})
        unchanged = [(s.number, s.starts_at, s.sequence) for s in Session.objects.order_by("number")]
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(url, {"candidate_time": brief["monday"].pk, "action": "confirm"})
        schedule_page = client.get(reverse("sessions:cohort_schedule", kwargs={"pk": brief["cohort"].pk}))

    assert form_page.context["form"].initial == {"candidate_time": brief["tuesday"].pk}
    assert [
        (f"{w.date:%d %b}", w.planned and (w.planned.number, f"{w.planned.previous_starts_at:%d %b}"))
        for w in preview.context["plan"].weeks
    ] == [
        ("23 Aug", (3, "24 Aug")),
        ("30 Aug", None),
        ("06 Sep", (4, "31 Aug")),
        ("13 Sep", (5, "07 Sep")),
        ("20 Sep", (6, "14 Sep")),
    ]
    assert "Staying as they are: Session 1 (Tue 10 Aug), Session 2 (Tue 17 Aug)." in text(preview)
    assert [s[2] for s in unchanged] == [0, 0, 0, 0, 0, 0]
    assert (done.status_code, done["Location"]) == (
        302,
        reverse("sessions:cohort_schedule", kwargs={"pk": brief["cohort"].pk}),
    )
    assert [
        (s.number, f"{s.starts_at.astimezone(LONDON):%a %d %b %H:%M}", s.sequence)
        for s in Session.objects.order_by("number")
    ] == [
        (1, "Tue 10 Aug 14:00", 0),
        (2, "Tue 17 Aug 14:00", 0),
        (3, "Mon 23 Aug 10:00", 1),
        (4, "Mon 06 Sep 10:00", 1),
        (5, "Mon 13 Sep 10:00", 1),
        (6, "Mon 20 Sep 10:00", 1),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        member.user.email for member in brief["cohort"].applications.all()
    )
    assert "Weekly on Mondays at 10:00 , changed 18 August 2021. Change the weekly time" in text(
        schedule_page
    )


def test_changing_the_time_of_a_group_without_one_is_a_404(brief, client):
    client.force_login(StaffFactory())

    response = client.get(reverse("sessions:cohort_retime", kwargs={"pk": brief["cohort"].pk}))

    assert response.status_code == 404


def test_staff_schedule_lists_sessions_by_date_with_a_cancelled_one_in_its_place(brief, client):
    services.schedule_confirm(
        cohort=brief["cohort"],
        candidate_time=brief["tuesday"],
        now=datetime.datetime(2021, 7, 27, tzinfo=UTC),
    )
    services.session_cancel(session=Session.objects.get(number=2))
    # Session 4 moves before session 3 (Tuesday 31 August to Monday 23 August).
    services.session_move(
        session=Session.objects.get(number=4),
        starts_at=datetime.datetime(2021, 8, 23, 10, 0, tzinfo=LONDON),
        now=datetime.datetime(2021, 7, 27, tzinfo=UTC),
    )
    with time_machine.travel(datetime.datetime(2021, 7, 27, 9, 0, tzinfo=UTC), tick=False):
        client.force_login(StaffFactory())
        response = client.get(reverse("sessions:cohort_schedule", kwargs={"pk": brief["cohort"].pk}))

    assert [(s.number, s.status) for s in response.context["sessions"]] == [
        (1, SessionStatus.SCHEDULED),
        (2, SessionStatus.CANCELLED),
        (4, SessionStatus.SCHEDULED),
        (3, SessionStatus.SCHEDULED),
        (5, SessionStatus.SCHEDULED),
        (6, SessionStatus.SCHEDULED),
    ]
    assert response.content.decode().count('class="session-cancelled"') == 1
