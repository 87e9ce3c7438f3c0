"""Each member's one join link: it opens the session's video link from 15 minutes before until the end and records
them as joined (once); at other times it shows their next session; a wrong or reset token is a 404; a member who
left is told so and taken nowhere."""

import datetime
import re
import threading

import icalendar
import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.urls import reverse

from sessions_app import services
from sessions_app.enums import AttendanceStatus
from sessions_app.join_links import join_path, join_token, join_url
from sessions_app.models import Attendance, SessionJoin
from tests.factories import MemberFactory, SessionFactory, StaffFactory

UTC = datetime.UTC
MINUTE = datetime.timedelta(minutes=1)
# Session 1 is Tuesday 19 October 2021, 14:00–16:00 UK time (13:00–15:00 UTC); session 2 a week later.
OPENS = datetime.datetime(2021, 10, 19, 12, 45, tzinfo=UTC)
ENDS = datetime.datetime(2021, 10, 19, 15, 0, tzinfo=UTC)


@pytest.fixture
def group(autumn):
    cohort = autumn["cohort"]
    first = SessionFactory(cohort=cohort, number=1, join_url="https://meet.example.org/first")
    second = SessionFactory(cohort=cohort, number=2, join_url="https://meet.example.org/second")
    return {**autumn, "first": first, "second": second}


def open_link(client, member, at: datetime.datetime, method: str = "get", path: str | None = None):
    with time_machine.travel(at, tick=False):
        return getattr(client, method)(path or join_path(member))


def joins() -> list[tuple[int, int, datetime.datetime]]:
    return list(
        SessionJoin.objects.order_by("pk").values_list("session__number", "member__name", "joined_at")
    )


def main_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_the_link_opens_15_minutes_before_and_records_one_join_however_many_clicks(client, group):
    ada = group["ada"]

    too_early = open_link(client, ada, OPENS - MINUTE)
    opens = open_link(client, ada, OPENS)
    again = open_link(client, ada, OPENS + 45 * MINUTE)
    last_minute = open_link(client, ada, ENDS - MINUTE)

    assert (too_early.status_code, main_text(too_early)) == (
        200,
        "Your next session Session 1: Tuesday 19 October, 14:00 (UK time) The link opens 15 "
        "minutes before the session. Come back to this link then (it is the same one in every invite and "
        "reminder) and it takes you straight in.",
    )
    assert [(r.status_code, r["Location"]) for r in (opens, again, last_minute)] == [
        (302, "https://meet.example.org/first")
    ] * 3
    assert joins() == [(1, "Ada Lovelace", OPENS)]
    assert (opens["Cache-Control"], opens["X-Robots-Tag"]) == (
        "max-age=0, no-cache, no-store, must-revalidate, private",
        "noindex",
    )


def test_at_the_end_the_link_shows_the_next_session_in_the_members_own_zone(client, group):
    response = open_link(client, group["bo"], ENDS)  # Bo's zone is US Eastern time

    assert (response.status_code, joins()) == (200, [])
    assert main_text(response) == (
        "Your next session Session 2: Tuesday 26 October, 09:00 (US Eastern time) The link opens 15 minutes "
        "before the session. Come back to this link then (it is the same one in every invite and reminder) "
        "and it takes you straight in."
    )


def test_after_the_last_session_the_link_says_there_are_none(client, group):
    response = open_link(client, group["ada"], datetime.datetime(2021, 10, 26, 15, 0, tzinfo=UTC))

    assert (response.status_code, joins()) == (200, [])
    assert main_text(response) == (
        "No sessions coming up Your group of “Relationships at the heart of our work” has no more sessions "
        "planned. If one is added, this link will take you to it."
    )


def test_a_cancelled_session_does_not_open_and_the_next_one_is_shown(client, group):
    services.session_cancel(session=group["first"])

    response = open_link(client, group["ada"], OPENS + 30 * MINUTE)

    assert (response.status_code, joins()) == (200, [])
    assert main_text(response).startswith("Your next session Session 2: Tuesday 26 October, 14:00 (UK time)")


def test_a_session_with_no_video_link_is_shown_not_redirected_and_not_recorded(client, group):
    group["first"].join_url = ""
    group["first"].venue = "Leeds Civic Hall, Room 4"
    group["first"].save()

    response = open_link(client, group["ada"], OPENS)

    assert (response.status_code, joins()) == (200, [])
    assert main_text(response) == (
        "Session 1 The session is on now, until 16:00 (UK time), at Leeds Civic Hall, Room 4."
    )


def test_a_link_checker_s_head_request_is_not_a_join(client, group):
    response = open_link(client, group["ada"], OPENS, method="head")

    assert (response.status_code, response["Location"], joins()) == (
        302,
        "https://meet.example.org/first",
        [],
    )


def test_changing_the_video_link_reaches_the_member_through_the_same_join_link(client, group):
    link = join_url(group["ada"])
    services.session_update(session=group["first"], join_url="https://meet.example.org/moved")

    response = open_link(client, group["ada"], OPENS)

    assert (join_url(group["ada"]), response["Location"]) == (link, "https://meet.example.org/moved")


@pytest.mark.parametrize(
    "token",
    ["nonsense", "1.abcdef:forged", "{valid}x", "{valid_for_other_salt}"],
)
def test_a_wrong_token_is_a_404(client, group, token):
    token = token.format(
        valid=join_token(group["ada"]),
        valid_for_other_salt=signing.Signer(salt="other").sign(f"{group['ada'].pk}.0000000000000000"),
    )

    response = open_link(client, group["ada"], OPENS, path=reverse("sessions:join", kwargs={"token": token}))

    assert (response.status_code, joins()) == (404, [])


def test_resetting_the_calendar_feed_retires_the_old_join_link(client, group):
    ada = group["ada"]
    old = join_path(ada)
    services.calendar_token_reset(user=ada.user)

    refused = open_link(client, ada, OPENS, path=old)
    new = open_link(client, ada, OPENS)

    assert (refused.status_code, new.status_code, old != join_path(ada)) == (404, 302, True)
    assert joins() == [(1, "Ada Lovelace", OPENS)]


def test_one_members_token_does_not_open_anothers_place(client, group):
    ada, bo = group["ada"], group["bo"]
    _, check = signing.Signer(salt="sessions.join-link").unsign(join_token(bo)).split(".")
    swapped = signing.Signer(salt="sessions.join-link").sign(f"{ada.pk}.{check}")

    response = open_link(client, ada, OPENS, path=reverse("sessions:join", kwargs={"token": swapped}))

    assert (response.status_code, joins()) == (404, [])


def test_a_member_who_left_is_told_so_and_not_let_in(client, group, django_capture_on_commit_callbacks):
    from cohort_site.members.services import member_leave

    ada = group["ada"]
    link = join_path(ada)
    member_leave(application=ada, by=None, now=datetime.datetime(2021, 10, 1, 9, 0, tzinfo=UTC))

    response = open_link(client, ada, OPENS, path=link)

    assert (response.status_code, joins()) == (200, [])
    assert main_text(response) == (
        "You are no longer in this group You have left your group of “Relationships at the heart of our work”, "
        "so this link no longer opens its sessions. If you think this is a mistake, please contact Zoë "
        "Cumberland at zoe@example.org ."
    )


@pytest.mark.postgres
def test_two_clicks_at_once_store_one_join(transactional_db):
    session = SessionFactory(number=1)
    member = MemberFactory(cohort=session.cohort)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def click(at):
        try:
            barrier.wait()
            results.append(services.session_join_record(session=session, member=member, now=at).pk)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    moments = [session.starts_at, session.starts_at + MINUTE]
    threads = [threading.Thread(target=click, args=(at,)) for at in moments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    stored = list(SessionJoin.objects.values_list("pk", flat=True))
    assert (len(stored), results) == (1, stored * 2)


def test_recording_again_keeps_the_first_time(group):
    first, ada = group["first"], group["ada"]

    services.session_join_record(session=first, member=ada, now=OPENS)
    again = services.session_join_record(session=first, member=ada, now=OPENS + MINUTE)

    assert (again.joined_at, joins()) == (OPENS, [(1, "Ada Lovelace", OPENS)])


def test_the_calendar_feed_and_invite_carry_the_members_own_join_link(client, group):
    ada = group["ada"]

    response = client.get(
        reverse("sessions:calendar_feed", kwargs={"user_id": ada.user.pk, "token": ada.user.calendar_token})
    )

    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [(str(e["URL"]), str(e["LOCATION"])) for e in events] == [(join_url(ada), join_url(ada))] * 2
    assert [str(e["DESCRIPTION"]).split("\n")[0] for e in events] == [f"Join: {join_url(ada)}"] * 2


# --- The manager's attendance form starts from the joins ------------------------------------------------------


def attendance_page(client, session, at=ENDS):
    with time_machine.travel(at, tick=False):
        client.force_login(StaffFactory())
        return client.get(reverse("sessions:session", kwargs={"pk": session.pk}))


def starting_values(response, members) -> dict[str, str]:
    form = response.context["forms"]["attendance"]
    return {member.name: form[f"member_{member.pk}"].value() for member in members}


def test_attendance_starts_from_the_joins_and_apologies_and_saves_nothing(client, group):
    first, ada, bo = group["first"], group["ada"], group["bo"]
    cy = MemberFactory(cohort=group["cohort"], name="Cy Twombly")
    services.apologies_send(session=first, member=bo, note="Away", now=OPENS - 60 * MINUTE)
    services.session_join_record(session=first, member=ada, now=OPENS)
    services.session_join_record(session=first, member=bo, now=OPENS + 20 * MINUTE)  # came after all

    response = attendance_page(client, first)

    assert starting_values(response, [ada, bo, cy]) == {
        "Ada Lovelace": "attended",
        "Bo Diddley": "attended",
        "Cy Twombly": "absent",
    }
    form = response.context["forms"]["attendance"]
    assert [form[f"member_{m.pk}"].help_text for m in (ada, bo, cy)] == [
        "Joined through their link at 13:45.",
        "Joined through their link at 14:05.",
        "",
    ]
    assert (
        "2 members joined through their join link, so they start as attended and the others as absent. Check "
        "and change anything, then record attendance: nothing is saved until you do."
    ) in main_text(response)
    assert sorted(Attendance.objects.values_list("member__name", "status")) == [("Bo Diddley", "apologies")]


def test_what_the_manager_saved_wins_over_a_later_join(client, group):
    first, ada, bo = group["first"], group["ada"], group["bo"]
    services.attendance_record(
        session=first,
        statuses={ada.pk: AttendanceStatus.ABSENT, bo.pk: AttendanceStatus.APOLOGIES},
        by=StaffFactory(),
        now=OPENS + 30 * MINUTE,
    )
    services.session_join_record(session=first, member=ada, now=OPENS + 40 * MINUTE)
    services.session_join_record(session=first, member=bo, now=OPENS + 41 * MINUTE)

    response = attendance_page(client, first)

    assert starting_values(response, [ada, bo]) == {"Ada Lovelace": "absent", "Bo Diddley": "apologies"}
    assert "joined through their join link, so" not in main_text(response)


def test_with_no_joins_the_form_starts_as_before(client, group):
    first, ada, bo = group["first"], group["ada"], group["bo"]
    services.apologies_send(session=first, member=bo, now=OPENS - 60 * MINUTE)

    response = attendance_page(client, first)

    assert starting_values(response, [ada, bo]) == {"Ada Lovelace": "attended", "Bo Diddley": "apologies"}


# --- Personal data ---------------------------------------------------------------------------------------------


def test_joins_are_exported_and_erased_with_the_member(group):
    from cohort_site.core.data_subjects import DataSubject
    from sessions_app.personal_data import ScheduleData

    first, ada, bo = group["first"], group["ada"], group["bo"]
    services.session_join_record(session=first, member=ada, now=OPENS)
    services.session_join_record(session=first, member=bo, now=OPENS)
    subject = DataSubject(email="ada@example.org", user=ada.user)

    exported = ScheduleData().export(subject)["joined_through_link"]
    ScheduleData().erase(subject)

    assert exported == [{"session__number": 1, "session__starts_at": first.starts_at, "joined_at": OPENS}]
    assert joins() == [(1, "Bo Diddley", OPENS)]
