"""The manager's session notes: written on a staff page with the Chatham House reminder, rendered from Markdown
safely, read by the group only once the session is over (a 404 before, and to anyone outside the group), kept out
of calendars, and turned into a learning entry through the normal consent flow."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cohort_site.mail.models import OutgoingEmail
from learning.enums import EntryKind, Visibility
from learning.models import Entry
from tests.factories import CohortFactory, MemberFactory, SessionFactory, StaffFactory

UTC = datetime.UTC
# Session 1 is Tuesday 19 October 2021, 14:00–16:00 UK time (13:00–15:00 UTC).
DURING = datetime.datetime(2021, 10, 19, 14, 30, tzinfo=UTC)
ENDED = datetime.datetime(2021, 10, 19, 15, 0, tzinfo=UTC)
NOTES = "We talked about **volunteers**.\n\n<script>alert(1)</script>\n\n- Keep in touch"


@pytest.fixture
def session(autumn):
    return SessionFactory(cohort=autumn["cohort"], number=1, notes=NOTES)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def read(user, session, at):
    with time_machine.travel(at, tick=False):
        return signed_in(user).get(reverse("sessions:session_notes", args=[session.pk]))


def test_members_read_the_notes_only_once_the_session_is_over(autumn, session):
    ada = autumn["ada"].user

    during = read(ada, session, DURING)
    after = read(ada, session, ENDED)

    assert (during.status_code, after.status_code) == (404, 200)
    html = after.content.decode()
    assert html.count("<strong>volunteers</strong>") == 1
    assert html.count("<li>Keep in touch</li>") == 1
    assert html.count("<script>alert(1)</script>") == 0
    assert html.count("Chatham House Rule") == 1


def test_another_group_and_applicants_get_404_after_the_session_too(autumn, session):
    stranger = MemberFactory(cohort=CohortFactory(programme=autumn["programme"], number=2))

    assert read(stranger.user, session, ENDED).status_code == 404


def test_staff_read_them_at_any_time(session):
    assert read(StaffFactory(), session, DURING).status_code == 200


def test_saving_notes_keeps_calendars_as_they_are(autumn, django_capture_on_commit_callbacks):
    session = SessionFactory(cohort=autumn["cohort"], number=1)
    staff = StaffFactory()
    url = reverse("sessions:session_notes_edit", args=[session.pk])

    with time_machine.travel(DURING, tick=False), django_capture_on_commit_callbacks(execute=True):
        page = signed_in(staff).get(url)
        response = signed_in(staff).post(url, {"notes": "Ideas on **volunteers**."})

    session.refresh_from_db()
    assert page.content.decode().count("The Chatham House Rule") == 1
    assert (response.status_code, response["Location"]) == (302, url)
    assert (session.notes, session.sequence) == ("Ideas on **volunteers**.", 0)
    assert OutgoingEmail.objects.count() == 0


def test_notes_too_long_are_refused_with_the_text_kept(autumn):
    session = SessionFactory(cohort=autumn["cohort"], number=1)
    text = "x" * 20001

    response = signed_in(StaffFactory()).post(
        reverse("sessions:session_notes_edit", args=[session.pk]), {"notes": text}
    )

    assert response.status_code == 400
    assert response.context["form"]["notes"].value() == text
    assert response.context["form"].errors == {
        "notes": ["Please shorten this to 20,000 characters or fewer (it has 20001)."]
    }


def test_the_manager_turns_the_notes_into_a_learning_entry_through_the_consent_flow(autumn, session):
    staff = StaffFactory()
    client = signed_in(staff)
    new = reverse("learning:create") + f"?kind={EntryKind.SESSION_NOTES}&session={session.pk}"

    form = client.get(new).context["form"]
    response = client.post(
        new,
        {
            "cohort": autumn["cohort"].pk,
            "kind": EntryKind.SESSION_NOTES,
            "title": form.initial["title"],
            "body": form.initial["body"],
            "session": session.pk,
            "authors": [staff.pk],
        },
    )

    entry = Entry.objects.get()
    assert (form.initial["cohort"], form.initial["title"], form.initial["body"]) == (
        autumn["cohort"].pk,
        "Notes from Session 1",
        NOTES,
    )
    assert response["Location"] == entry.get_absolute_url()
    # A draft: the group sees it once the manager shares it, and beyond the group only with every consent.
    assert (entry.kind, entry.visibility, entry.session_id, entry.body) == (
        EntryKind.SESSION_NOTES,
        Visibility.DRAFT,
        session.pk,
        NOTES,
    )


def test_a_member_cannot_start_an_entry_from_the_notes(autumn, session):
    response = signed_in(autumn["ada"].user).get(
        reverse("learning:create") + f"?kind={EntryKind.SESSION_NOTES}&session={session.pk}"
    )

    assert ("title" in response.context["form"].initial, "body" in response.context["form"].initial) == (
        False,
        False,
    )


def test_the_dashboard_and_the_schedule_link_to_the_notes_of_sessions_held(autumn, session):
    SessionFactory(cohort=autumn["cohort"], number=2, notes="Not yet held.")
    link = f'href="{reverse("sessions:session_notes", args=[session.pk])}"'
    with time_machine.travel(ENDED + datetime.timedelta(days=1), tick=False):
        client = signed_in(autumn["ada"].user)
        dashboard = client.get(reverse("dashboards:member")).content.decode()
        schedule = client.get(reverse("sessions:my_schedule")).content.decode()

    assert (dashboard.count(link), schedule.count(link)) == (1, 1)
    assert dashboard.count("/notes/") == schedule.count("/notes/") == 1
