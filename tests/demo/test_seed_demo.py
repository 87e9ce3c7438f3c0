import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from applications.enums import ProgrammePhase
from applications.models import (
    CandidateTime,
    Cohort,
    DropIn,
    MemberOrganisation,
    Programme,
    ProgrammeSection,
    Question,
)
from cohort_site.core.models import User
from cohort_site.demo import open_call, pilot
from cohort_site.mail.dispatch import reminders_dispatch
from cohort_site.mail.models import OutgoingEmail
from tests.applications.form_outline import form_outline


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_seed_demo_twice_leaves_one_programme(db, debug_on):
    call_command("seed_demo")
    call_command("seed_demo")

    assert sorted(Programme.objects.values_list("slug", flat=True)) == [open_call.SLUG, pilot.SLUG]
    assert Cohort.objects.filter(programme__slug=open_call.SLUG).count() == 1
    assert DropIn.objects.count() == 2
    assert ProgrammeSection.objects.count() == len(open_call.SECTIONS)
    assert CandidateTime.objects.filter(programme__slug=open_call.SLUG).count() == 10
    assert User.objects.filter(email=open_call.MANAGER_EMAIL, is_staff=True).count() == 1
    assert MemberOrganisation.objects.count() == len(open_call.MEMBER_ORGANISATIONS)
    organisation_types = (
        "Type of organisation",
        "Charity or voluntary group\nLocal authority\nHealth (NHS)\nHousing\nFaith group\nSocial enterprise\nOther",
        True,
    )
    assert list(
        Question.objects.filter(builtin="")
        .order_by("programme__slug")
        .values_list("programme__slug", "label", "choices", "counted_in_report")
    ) == [(slug, *organisation_types) for slug in sorted([open_call.SLUG, pilot.SLUG])]


def test_seed_demo_gives_the_programmes_the_forms_own_questions_and_its_form_is_unchanged(
    db, debug_on, client
):
    """Issue 20: the demo's programmes get the built-in questions as rows, worded as before, so its form asks
    exactly what it asked without them (the form without rows is today's: tests/applications/
    test_builtin_questions.py)."""
    call_command("seed_demo")
    programme = Programme.objects.get(slug=open_call.SLUG)
    url = reverse("applications:apply", kwargs={"slug": programme.slug})

    rows = [
        Question.objects.filter(programme__slug=slug).exclude(builtin="").count()
        for slug in (open_call.SLUG, pilot.SLUG)
    ]

    with_rows = form_outline(client.get(url).content.decode())
    programme.questions.exclude(builtin="").delete()
    without_rows = form_outline(client.get(url).content.decode())

    assert rows == [17, 17]
    assert with_rows == without_rows
    assert ("heading", "Type of organisation") in with_rows


@pytest.mark.parametrize("today", ["2026-11-23", "2026-03-29", "2027-07-21", "2030-01-01"])
def test_seed_demo_opens_applications_today_with_drop_in_ahead(db, debug_on, today):
    with time_machine.travel(datetime.datetime.fromisoformat(f"{today}T12:00:00+00:00"), tick=False):
        call_command("seed_demo")
        programme = Programme.objects.get(slug=open_call.SLUG)
        drop_in = programme.drop_ins.latest("starts_at")  # the brief's; the other is an hour away

        assert programme.phase() == ProgrammePhase.OPEN
        assert drop_in.starts_at > timezone.now()
    local_drop_in = timezone.localtime(drop_in.starts_at, programme.tz)
    local_close = timezone.localtime(programme.applications_close_at, programme.tz)
    assert (local_drop_in.strftime("%A %H:%M"), local_close.strftime("%A %H:%M")) == (
        "Wednesday 15:00",
        "Wednesday 09:00",
    )
    assert programme.first_session_week.weekday() == 0
    assert (programme.first_session_week - local_close.date()).days == 19


def test_seed_demo_has_a_reminder_due_within_a_minute(db, debug_on):
    seeded_at = datetime.datetime(2026, 11, 29, 11, 58, 49, tzinfo=datetime.UTC)
    with time_machine.travel(seeded_at, tick=False):
        call_command("seed_demo")
    soon = DropIn.objects.earliest("starts_at")
    assert (soon.starts_at, soon.ends_at) == (
        datetime.datetime(2026, 11, 29, 12, 59, tzinfo=datetime.UTC),
        datetime.datetime(2026, 11, 29, 13, 59, tzinfo=datetime.UTC),
    )

    reminders_dispatch(now=seeded_at + datetime.timedelta(seconds=10))
    assert not OutgoingEmail.objects.filter(kind="drop-in-reminder").exists()
    reminders_dispatch(now=datetime.datetime(2026, 11, 29, 11, 59, tzinfo=datetime.UTC))

    assert list(OutgoingEmail.objects.filter(kind="drop-in-reminder").values_list("to", "subject")) == [
        (open_call.INTEREST_EMAIL, f"Starting soon: drop-in Q&A for {open_call.TITLE}")
    ]


def test_seed_demo_refuses_with_debug_off(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs with DEBUG on only"):
        call_command("seed_demo")


def test_demo_pilot_group_is_half_way_with_a_member_to_sign_in_as(client, db, debug_on):
    from django.urls import reverse

    wednesday = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)
    with time_machine.travel(wednesday, tick=False):
        call_command("seed_demo")
        call_command("seed_demo")
        client.force_login(User.objects.get(email=pilot.MEMBER_EMAIL))
        dashboard = client.get(reverse("dashboards:member")).context["dashboard"]
        client.force_login(User.objects.get(email=open_call.MANAGER_EMAIL))
        pipelines = client.get(reverse("dashboards:manager")).context["pipelines"]

    pilot_programme = Programme.objects.get(slug=pilot.SLUG)
    assert (
        pilot_programme.is_published,
        pilot_programme.applications.filter(status="confirmed").count(),
    ) == (False, 6)
    assert (dashboard.schedule.next_session.number, len(dashboard.schedule.past_sessions)) == (4, 3)
    assert [s.my_status for s in dashboard.schedule.past_sessions] == ["attended", "attended", "attended"]
    assert (dashboard.coffee.current.round.number, dashboard.coffee.current_is_open) == (3, True)
    assert len(dashboard.coffee.partners) == 1  # six members: three pairs a round
    assert [e.title for e in dashboard.latest_entries] == [
        "What a shed taught us about asking for help",
        "Session 1 notes: where everyone is at",
    ]
    [group] = next(p for p in pipelines if p.programme == pilot_programme).cohorts
    assert (group.confirmed, group.active) == (6, 6)
    assert [h.attended for h in group.sessions[:3]] == [6, 5, 6]
    assert [(r.round.number, r.met_percent) for r in group.rounds] == [(1, 67), (2, 67), (3, 0)]


def test_the_public_home_page_still_shows_the_open_call(client, db, debug_on):
    call_command("seed_demo")

    assert client.get("/").context["programme"].slug == open_call.SLUG


def test_demo_reset_starts_the_demo_over(transactional_db, debug_on):
    """(transactional: PostgreSQL will not flush tables with pending constraint checks inside a test's
    transaction)"""
    call_command("seed_demo")
    Programme.objects.filter(slug=open_call.SLUG).update(title="Changed while trying it")
    User.objects.create_user(email="visitor@example.org")

    call_command("demo_reset")

    assert sorted(Programme.objects.values_list("title", flat=True)) == sorted(
        [open_call.TITLE, "Pilot: relationships and connections at the heart of our work"]
    )
    assert not User.objects.filter(email="visitor@example.org").exists()


def test_demo_reset_refuses_with_debug_off(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="never in production"):
        call_command("demo_reset")


def test_demo_has_a_sharing_event_with_a_waitlist_and_digest_subscribers(client, db, debug_on):
    from django.urls import reverse

    from cohort_site.demo import network
    from learning.models import DigestSubscriber, EventRegistration, NetworkEvent

    wednesday = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)
    with time_machine.travel(wednesday, tick=False):
        call_command("seed_demo")
        call_command("seed_demo")
        listed = client.get(reverse("learning:events")).context["events"]
        client.force_login(User.objects.get(email=open_call.MANAGER_EMAIL))
        digest = client.get(reverse("learning:digest")).context

    [event] = NetworkEvent.objects.all()
    assert listed == [event]
    assert (event.title, event.starts_at, event.capacity, event.is_published) == (
        network.EVENT_TITLE,
        datetime.datetime(2026, 12, 16, 14, tzinfo=datetime.UTC),  # a Wednesday, 14:00 UK time
        4,
        True,
    )
    assert list(
        EventRegistration.objects.filter(event=event)
        .order_by("status_changed_at")
        .values_list("email", "status")
    ) == [
        ("grace@example.org", "confirmed"),
        ("hamid@example.org", "confirmed"),
        ("isla@example.org", "confirmed"),
        ("jonah@example.org", "confirmed"),
        ("kemi@example.org", "waitlisted"),
        ("liam@example.org", "waitlisted"),
    ]
    assert sorted(DigestSubscriber.objects.values_list("email", "status")) == [
        ("hello@lunchclubs.example.org", "pending"),
        ("news@sheffieldlinks.example.org", "confirmed"),
        ("team@tenantstogether.example.org", "confirmed"),
    ]
    assert digest["recipients"] == "2 subscribers"
    assert digest["contents"].events == [event]
    assert OutgoingEmail.objects.filter(kind="network-event-place").count() == 4
    assert OutgoingEmail.objects.filter(kind="network-event-waitlisted").count() == 2


def pilot_page_seen_by_the_manager(client, url_name: str, key: str):
    """The demo seeded on a Wednesday afternoon; one of the pilot's staff pages read as the demo's manager: the
    page's context[key]."""
    with time_machine.travel(datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC), tick=False):
        call_command("seed_demo")
        client.force_login(User.objects.get(email=open_call.MANAGER_EMAIL))
        return client.get(reverse(url_name, kwargs={"slug": pilot.SLUG})).context[key]


def test_demo_pilot_has_outcome_items_and_enough_baseline_answers_to_show(client, db, debug_on):

    from learning.models import AdviceContact, SurveyResponse

    results = pilot_page_seen_by_the_manager(client, "learning:outcomes", "results")

    assert [item.key for item in results.items] == pilot.OUTCOME_ITEMS
    baseline = [
        (answers.title, answers.count, answers.median) for answers in (i.per_survey[0] for i in results.items)
    ]
    assert [(count, median) for _title, count, median in baseline] == [(5, 2), (5, 3), (5, 3), (5, 4), (5, 2)]
    assert [(rate.asked, rate.answered) for rate in results.rates[:1]] == [(6, 5)]
    answered = SurveyResponse.objects.filter(survey__programme__slug=pilot.SLUG, survey__kind="baseline")
    assert sorted(answered.values_list("member__email", flat=True)) == sorted(
        email for _name, email, *_rest in pilot.MEMBERS[1:]
    )
    assert AdviceContact.objects.filter(response__in=answered).count() == 10


def test_demo_pilot_report_counts_who_took_part_by_region_and_type_of_organisation(client, db, debug_on):
    report = pilot_page_seen_by_the_manager(client, "dashboards:report", "report")

    assert report.members == 6
    assert report.by_region == [
        ("East or West Midlands", 1),
        ("London", 1),
        ("Northern Ireland", 1),
        ("South West England", 1),
        ("Wales", 1),
        ("Yorkshire and the Humber", 1),
    ]
    assert [(table.question.label, table.counts) for table in report.by_question] == [
        (
            "Type of organisation",
            [
                ("Charity or voluntary group", 3),
                ("Local authority", 1),
                ("Health (NHS)", 1),
                ("Housing", 0),
                ("Faith group", 0),
                ("Social enterprise", 1),
                ("Other", 0),
                ("Not answered", 0),
            ],
        )
    ]
