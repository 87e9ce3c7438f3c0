"""A member leaves (or is withdrawn): one service, and everything that follows from it, email by email."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from applications.enums import ApplicationStatus, AvailabilityAnswer, WaitlistPromotion
from applications.links import application_token
from applications.models import Application, ApplicationStatusChange
from applications.services import person_erase
from cohort_site.core.data_subjects import DataSubject
from cohort_site.mail.dispatch import reminders_dispatch
from cohort_site.mail.enums import EmailKind, EmailStatus, SkipReason
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import email_store
from cohort_site.members.selectors import leave_preview
from cohort_site.members.services import member_leave
from pairings.models import PairMember, Round
from pairings.services import pair_mark_met, pairs_plan, round_publish
from sessions_app.calendar import session_uid
from sessions_app.models import Session
from sessions_app.services import schedule_invites_send
from tests.factories import (
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    MemberFactory,
    SessionFactory,
    StaffFactory,
    application_in,
)

pytestmark = pytest.mark.django_db
NAMES = ("Ada", "Ben", "Cal", "Dee", "Eve", "Fay")
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def cohort():
    cohort = CohortFactory(name="Group 1")
    for number in range(1, 7):
        SessionFactory(cohort=cohort, number=number)
    return cohort


@pytest.fixture
def members(cohort):
    tuesday = CandidateTimeFactory(programme=cohort.programme, weekday=1, start_time=datetime.time(10))
    people = {
        name: MemberFactory(
            cohort=cohort, name=name, organisation=f"{name} Trust", email=f"{name.lower()}@example.org"
        )
        for name in NAMES
    }
    for person in people.values():
        AvailabilityFactory(application=person, candidate_time=tuesday, answer=AvailabilityAnswer.YES)
    return people


@pytest.fixture
def round_one(cohort, members):
    """Round 1 planned for all, published, and open: its introductions have gone."""
    pairs_plan(cohort=cohort)
    round_ = round_publish(round_=Round.objects.get(cohort=cohort, number=1))
    reminders_dispatch(now=round_.opens_at)
    return round_


def groups(round_) -> list[tuple[str, ...]]:
    by_pair: dict[int, list[str]] = {}
    for pair_id, name in PairMember.objects.filter(round=round_).values_list("pair_id", "member__name"):
        by_pair.setdefault(pair_id, []).append(name)
    return sorted(tuple(sorted(names)) for names in by_pair.values())


def partner_of(round_, name: str) -> str:
    group = next(g for g in groups(round_) if name in g)
    return next(n for n in group if n != name)


def emails_after(pk: int) -> list[tuple[str, str, str]]:
    return sorted(
        (e.kind, e.to, e.subject) for e in OutgoingEmail.objects.filter(pk__gt=pk).exclude(status="skipped")
    )


def last_email_pk() -> int:
    return OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_leaving_in_an_open_round_re_pairs_the_partner_into_a_trio_with_one_email_each(
    cohort, members, round_one
):
    partner = partner_of(round_one, "Ada")
    before = last_email_pk()
    now = round_one.opens_at + HOUR

    member_leave(application=members["Ada"], by=members["Ada"].user, reason="A new job", now=now)

    after = groups(round_one)
    trio = next(g for g in after if partner in g)
    joined = [n for n in trio if n != partner]
    assert len(trio) == 3
    assert sorted(len(g) for g in after) == [2, 3]
    assert "Ada" not in {n for g in after for n in g}
    assert emails_after(before) == sorted(
        [
            (
                "coffee-change",
                f"{partner.lower()}@example.org",
                f"Your coffee pair has changed: meet {joined[0]} and {joined[1]}",
            ),
            *[
                (
                    "coffee-change",
                    f"{n.lower()}@example.org",
                    f"Your coffee pair has changed: {partner} joins you",
                )
                for n in joined
            ],
            ("member-left", "ada@example.org", f"You are no longer in Group 1 of {cohort.programme.title}"),
        ]
    )


def test_after_leaving_nobody_is_introduced_to_the_leaver_and_later_rounds_are_re_planned(
    cohort, members, round_one
):
    now = round_one.opens_at + HOUR
    member_leave(application=members["Ada"], by=members["Ada"].user, now=now)
    before = last_email_pk()

    reminders_dispatch(now=now + HOUR)
    round_two = round_publish(round_=Round.objects.get(cohort=cohort, number=2))
    reminders_dispatch(now=round_two.opens_at)

    introductions = OutgoingEmail.objects.filter(pk__gt=before, kind=EmailKind.COFFEE_INTRODUCTION)
    assert sorted(e.to for e in introductions) == [f"{n.lower()}@example.org" for n in NAMES[1:]]
    assert [e.subject for e in introductions if "Ada" in e.subject or "Ada" in e.body_text] == []
    for number in range(2, 6):
        planned = groups(Round.objects.get(cohort=cohort, number=number))
        assert sorted(n for g in planned for n in g) == list(NAMES[1:])
        assert sorted(len(g) for g in planned) == [2, 3]


def test_leaving_a_trio_tells_the_two_who_carry_on(cohort, members):
    MemberFactory(cohort=cohort, name="Gus", organisation="Gus Trust", email="gus@example.org")
    pairs_plan(cohort=cohort)
    round_ = round_publish(round_=Round.objects.get(cohort=cohort, number=1))
    reminders_dispatch(now=round_.opens_at)
    trio = next(g for g in groups(round_) if len(g) == 3)
    leaver, *rest = trio
    application = Application.objects.get(cohort=cohort, name=leaver)
    before = last_email_pk()

    member_leave(application=application, by=application.user, now=round_.opens_at + HOUR)

    assert tuple(rest) in groups(round_)
    assert [e for e in emails_after(before) if e[0] == "coffee-change"] == [
        ("coffee-change", f"{rest[0].lower()}@example.org", f"Your coffee pair: {rest[1]} and you carry on"),
        ("coffee-change", f"{rest[1].lower()}@example.org", f"Your coffee pair: {rest[0]} and you carry on"),
    ]


def test_a_round_announced_but_not_open_changes_without_emails_and_introduces_the_new_pair(cohort, members):
    pairs_plan(cohort=cohort)
    round_ = round_publish(round_=Round.objects.get(cohort=cohort, number=1))
    partner = partner_of(round_, "Ada")
    before = last_email_pk()

    member_leave(application=members["Ada"], by=members["Ada"].user, now=round_.opens_at - HOUR)

    assert [e[0] for e in emails_after(before)] == ["member-left"]
    reminders_dispatch(now=round_.opens_at)
    trio = next(g for g in groups(round_) if partner in g)
    intro = OutgoingEmail.objects.get(kind=EmailKind.COFFEE_INTRODUCTION, to=f"{partner.lower()}@example.org")
    assert intro.subject == "Your coffee pair: meet " + " and ".join(n for n in trio if n != partner)
    assert OutgoingEmail.objects.filter(kind=EmailKind.COFFEE_INTRODUCTION, to="ada@example.org").count() == 0


def test_a_pair_that_already_met_is_left_as_it_happened(cohort, members, round_one):
    partner = partner_of(round_one, "Ada")
    pair_mark_met(membership=PairMember.objects.get(round=round_one, member__name=partner))
    before_groups = groups(round_one)
    before = last_email_pk()

    member_leave(application=members["Ada"], by=members["Ada"].user, now=round_one.opens_at + HOUR)

    assert groups(round_one) == before_groups
    assert [e[0] for e in emails_after(before)] == ["member-left"]


def test_the_leaver_gets_one_email_whose_calendar_file_cancels_the_sessions_to_come(
    cohort, members, round_one
):
    schedule_invites_send(cohort=cohort)
    now = round_one.opens_at + HOUR
    before = last_email_pk()

    member_leave(application=members["Ada"], by=members["Ada"].user, now=now)

    email = OutgoingEmail.objects.get(pk__gt=before, to="ada@example.org")
    assert email.kind == EmailKind.MEMBER_LEFT
    attachment = email.attachments.get()
    assert (attachment.filename, attachment.mimetype) == ("cancel.ics", "text/calendar; method=CANCEL")
    calendar = Calendar.from_ical(bytes(attachment.content))
    assert str(calendar["METHOD"]) == "CANCEL"
    to_come = Session.objects.filter(cohort=cohort, number__gte=2).order_by("number")
    assert [str(event["UID"]) for event in calendar.walk("VEVENT")] == [session_uid(s) for s in to_come]
    assert {str(event["STATUS"]) for event in calendar.walk("VEVENT")} == {"CANCELLED"}
    assert "This confirms that you have left Group 1" in email.body_text


def test_a_member_never_invited_gets_the_confirmation_without_a_calendar_file(cohort, members, round_one):
    member_leave(application=members["Ada"], by=members["Ada"].user, now=round_one.opens_at + HOUR)

    email = OutgoingEmail.objects.get(kind=EmailKind.MEMBER_LEFT)
    assert (email.to, email.attachments.count()) == ("ada@example.org", 0)
    assert "calendar file" not in email.body_text


def test_messages_still_waiting_for_the_leaver_are_skipped_with_the_reason(cohort, members, round_one):
    def stored(key, kind, to):
        return email_store(key=key, kind=kind, to=to, subject="A subject", body_text="A text")

    reminder = stored("session-reminder:test", EmailKind.SESSION_REMINDER, "ada@example.org")
    expense = stored("expense-approved:test", EmailKind.EXPENSE_APPROVED, "ada@example.org")
    others = stored("session-reminder:ben", EmailKind.SESSION_REMINDER, "ben@example.org")

    member_leave(application=members["Ada"], by=members["Ada"].user, now=round_one.opens_at + HOUR)

    statuses = dict(
        OutgoingEmail.objects.filter(pk__in=[reminder.pk, expense.pk, others.pk]).values_list(
            "key", "skip_reason"
        )
    )
    assert statuses == {
        "session-reminder:test": SkipReason.LEFT_GROUP,
        "expense-approved:test": "",
        "session-reminder:ben": "",
    }
    assert OutgoingEmail.objects.get(pk=reminder.pk).status == EmailStatus.SKIPPED


def test_the_partners_introduction_to_the_leaver_still_waiting_is_skipped(cohort, members, round_one):
    partner = partner_of(round_one, "Ada")
    old_pair = PairMember.objects.get(round=round_one, member__name=partner).pair_id
    intro = OutgoingEmail.objects.get(key=f"coffee-introduction:{old_pair}:{members[partner].pk}")
    assert intro.status == EmailStatus.QUEUED  # the worker has not sent it yet (no commit in this test)

    member_leave(application=members["Ada"], by=members["Ada"].user, now=round_one.opens_at + HOUR)

    intro.refresh_from_db()
    assert (intro.status, intro.skip_reason) == (EmailStatus.SKIPPED, SkipReason.LEFT_GROUP)


def test_staff_withdrawal_is_audited_with_who_and_why_and_says_so_in_the_email(cohort, members, round_one):
    staff = StaffFactory()

    member_leave(application=members["Ada"], by=staff, reason="Asked by phone", now=round_one.opens_at + HOUR)

    change = ApplicationStatusChange.objects.filter(application=members["Ada"]).latest("pk")
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        ApplicationStatus.CONFIRMED,
        ApplicationStatus.WITHDRAWN,
        staff,
        "Withdrawn by staff: Asked by phone",
    )
    email = OutgoingEmail.objects.get(kind=EmailKind.MEMBER_LEFT)
    assert email.body_text.startswith(
        f"Dear Ada,\n\nWe have withdrawn your place in Group 1 of “{cohort.programme.title}”."
    )
    assert OutgoingEmail.objects.filter(kind=EmailKind.DECISION_WITHDRAWN).count() == 0


def test_a_member_leaving_is_audited_as_leaving(cohort, members, round_one):
    member_leave(application=members["Ada"], by=members["Ada"].user, reason="", now=round_one.opens_at + HOUR)

    change = ApplicationStatusChange.objects.filter(application=members["Ada"]).latest("pk")
    assert (change.to_status, change.changed_by, change.note) == (
        ApplicationStatus.WITHDRAWN,
        members["Ada"].user,
        "Left the group.",
    )


def test_someone_who_is_not_a_member_cannot_leave(cohort):
    waiting = application_in(ApplicationStatus.WAITLISTED, programme=cohort.programme, name="Wes")

    with pytest.raises(ValidationError) as refusal:
        member_leave(application=waiting, by=None)

    assert refusal.value.messages == ["Wes is not a member of a group."]


def test_a_place_freed_before_session_two_is_offered_to_the_waitlist(cohort, members, round_one):
    cohort.programme.waitlist_promotion = WaitlistPromotion.AUTOMATIC
    cohort.programme.save()
    waiting = application_in(
        ApplicationStatus.WAITLISTED, programme=cohort.programme, email="wes@example.org"
    )
    session_two = Session.objects.get(cohort=cohort, number=2)

    member_leave(application=members["Ada"], by=members["Ada"].user, now=session_two.starts_at - HOUR)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.cohort) == (ApplicationStatus.OFFERED, cohort)
    assert list(
        OutgoingEmail.objects.filter(kind=EmailKind.DECISION_OFFERED).values_list("to", flat=True)
    ) == ["wes@example.org"]


def test_a_place_freed_once_session_two_has_started_stays_empty(cohort, members):
    cohort.programme.waitlist_promotion = WaitlistPromotion.AUTOMATIC
    cohort.programme.save()
    waiting = application_in(ApplicationStatus.WAITLISTED, programme=cohort.programme)
    session_two = Session.objects.get(cohort=cohort, number=2)

    member_leave(application=members["Ada"], by=members["Ada"].user, now=session_two.starts_at)

    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.WAITLISTED
    assert (
        OutgoingEmail.objects.filter(kind__in=[EmailKind.DECISION_OFFERED, EmailKind.PLACE_FREED]).count()
        == 0
    )


def test_the_cut_off_is_the_programmes_setting(cohort, members):
    cohort.programme.freed_places_until_session = 3
    cohort.programme.save()
    waiting = application_in(ApplicationStatus.WAITLISTED, programme=cohort.programme)
    session_two = Session.objects.get(cohort=cohort, number=2)

    member_leave(application=members["Ada"], by=members["Ada"].user, now=session_two.starts_at)

    assert list(OutgoingEmail.objects.filter(kind=EmailKind.PLACE_FREED).values_list("to", "subject")) == [
        ("zoe@example.org", "A place is free in Group 1: offer it to the next person on the waitlist?")
    ]
    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.WAITLISTED  # proposed to the manager, who decides


# --- Asked once: the page says what will happen and who is emailed ---------------------------------------------


def test_the_preview_names_who_is_emailed_as_the_service_then_emails_them(cohort, members, round_one):
    cohort.programme.waitlist_promotion = WaitlistPromotion.AUTOMATIC
    cohort.programme.save()
    application_in(ApplicationStatus.WAITLISTED, programme=cohort.programme, email="wes@example.org")
    schedule_invites_send(cohort=cohort)
    now = round_one.opens_at + HOUR
    partner = partner_of(round_one, "Ada")

    preview = leave_preview(members["Ada"], by_member=False, now=now)

    assert preview.emailed == [
        "Ada (ada@example.org): a confirmation, with a calendar file that removes the 5 sessions still to come",
        f"{partner} ({partner.lower()}@example.org): told and introduced to their new coffee pair",
        "The coffee pair they join: told who joins them",
        "The next person on the waitlist: an offer of the place",
    ]
    assert preview.what_happens == [
        "Ada’s place in Group 1 is withdrawn and recorded with who did it and why. This cannot be undone: coming "
        "back means applying again.",
        "No more reminders, invitations, coffee pairs or surveys go to Ada; those waiting are not sent.",
        f"In coffee round 1, {partner} joins another coffee pair (a pair of three) or whoever is free.",
        "Coffee rounds not announced yet are planned again without Ada.",
        "The place is offered at once to the next person on the waitlist.",
    ]
    before = last_email_pk()
    member_leave(application=members["Ada"], by=StaffFactory(), now=now)
    assert sorted(to for _, to, _ in emails_after(before)) == sorted(
        ["ada@example.org", f"{partner.lower()}@example.org", "wes@example.org"]
        + [
            f"{n.lower()}@example.org"
            for n in next(g for g in groups(round_one) if partner in g)
            if n != partner
        ]
    )


def test_the_preview_after_the_cut_off_says_the_place_stays_empty_and_the_manager_is_not_asked(
    cohort, members
):
    application_in(ApplicationStatus.WAITLISTED, programme=cohort.programme)
    session_two = Session.objects.get(cohort=cohort, number=2)

    preview = leave_preview(members["Ada"], by_member=True, now=session_two.starts_at)

    assert preview.what_happens[-1] == (
        "The place stays empty: Group 1 has reached session 2, after which a freed place is not offered."
    )
    assert preview.emailed == [
        "You (ada@example.org): a confirmation, with a calendar file that removes the 4 sessions still to come"
    ]


def test_the_preview_with_the_manager_choosing_names_the_programme_contact(cohort, members):
    application_in(ApplicationStatus.WAITLISTED, programme=cohort.programme)

    preview = leave_preview(members["Ada"], by_member=True, now=timezone.now())

    assert (
        preview.emailed[-1]
        == "Zoë Cumberland (zoe@example.org), the programme contact: asked to offer the place"
    )


def test_a_member_leaves_from_their_profile_after_confirming(client, cohort, members):
    client.force_login(members["Ada"].user)
    profile = client.get(reverse("members:profile"))
    assert reverse("members:leave") in profile.content.decode()

    page = client.get(reverse("members:leave"))
    assert page.status_code == 200
    assert "Are you sure? This is what will happen" in page.content.decode()
    members["Ada"].refresh_from_db()
    assert members["Ada"].status == ApplicationStatus.CONFIRMED  # asking changes nothing

    response = client.post(reverse("members:leave"), {"reason": "Moving job."})

    assert (response.status_code, response.url) == (302, reverse("dashboards:member"))
    change = ApplicationStatusChange.objects.filter(application=members["Ada"]).latest("pk")
    assert (change.to_status, change.note) == (ApplicationStatus.WITHDRAWN, "Left the group: Moving job.")
    assert client.get(reverse("members:leave")).status_code == 404


def test_staff_withdraw_from_the_group_page(client, cohort, members):
    client.force_login(StaffFactory())
    group_page = client.get(
        reverse("applications:selection_cohort", kwargs={"pk": cohort.pk})
    ).content.decode()
    assert group_page.count("/withdraw/") == 6

    response = client.post(reverse("members:withdraw", kwargs={"pk": members["Ben"].pk}), {"reason": ""})

    assert (response.status_code, response.url) == (
        302,
        reverse("applications:selection_cohort", kwargs={"pk": cohort.pk}),
    )
    members["Ben"].refresh_from_db()
    assert members["Ben"].status == ApplicationStatus.WITHDRAWN
    assert client.get(reverse("members:withdraw", kwargs={"pk": members["Ben"].pk})).status_code == 404


def test_a_member_leaving_through_their_application_link_leaves_through_the_same_service(
    client, cohort, members, round_one
):
    """The private link was a member's only way out, and it only changed the status; now it is member_leave."""
    ada = members["Ada"]
    partner = partner_of(round_one, "Ada")
    token = application_token(ada)
    page = client.get(reverse("applications:withdraw", args=[token])).content.decode()
    assert "<h1>Leave your group</h1>" in page

    response = client.post(reverse("applications:withdraw", args=[token]), {})

    assert (response.status_code, response.url) == (302, reverse("applications:private", args=[token]))
    assert "Ada" not in {n for g in groups(round_one) for n in g}
    assert len(next(g for g in groups(round_one) if partner in g)) == 3
    assert sorted(
        OutgoingEmail.objects.filter(
            kind__in=[EmailKind.MEMBER_LEFT, EmailKind.DECISION_WITHDRAWN]
        ).values_list("kind", "to")
    ) == [(EmailKind.MEMBER_LEFT, "ada@example.org")]


# --- Erasure: someone erased holds no place and is never introduced -----------------------------------------------


def test_a_member_erased_while_their_group_runs_leaves_it_without_a_word_to_them(cohort, members, round_one):
    cohort.programme.waitlist_promotion = WaitlistPromotion.AUTOMATIC
    cohort.programme.save()
    waiting = application_in(
        ApplicationStatus.WAITLISTED, programme=cohort.programme, email="wes@example.org"
    )
    ada = members["Ada"]
    partner = partner_of(round_one, "Ada")
    before = last_email_pk()

    with time_machine.travel(round_one.opens_at + HOUR, tick=False):
        person_erase(subject=DataSubject.for_user(ada.user), by=ada.user)

    ada.refresh_from_db()
    waiting.refresh_from_db()
    assert (ada.status, ada.email.endswith("@erased.invalid")) == (ApplicationStatus.WITHDRAWN, True)
    assert PairMember.objects.filter(round=round_one, member=ada).count() == 0
    assert (waiting.status, waiting.cohort) == (ApplicationStatus.OFFERED, cohort)
    assert sorted((kind, to) for kind, to, _ in emails_after(before)) == sorted(
        [
            ("coffee-change", f"{partner.lower()}@example.org"),
            *[("coffee-change", f"{n.lower()}@example.org") for n in groups(round_one)[0] if n != partner],
            ("decision-offered", "wes@example.org"),
        ]
    )
    left = ApplicationStatusChange.objects.filter(application=ada).latest("pk")
    assert (left.from_status, left.to_status) == (ApplicationStatus.CONFIRMED, ApplicationStatus.WITHDRAWN)


def test_a_member_erased_after_their_groups_last_session_started_stays_a_member_for_the_counts(
    cohort, members, round_one
):
    ada = members["Ada"]
    last = Session.objects.get(cohort=cohort, number=6)

    with time_machine.travel(last.starts_at + HOUR, tick=False):
        person_erase(subject=DataSubject.for_user(ada.user), by=ada.user)

    ada.refresh_from_db()
    assert (ada.status, ada.name, PairMember.objects.filter(member=ada).count() > 0) == (
        ApplicationStatus.CONFIRMED,
        "Erased person",
        True,
    )


def test_an_applicant_erased_from_the_waitlist_is_withdrawn_so_no_anonymous_place_is_offered(
    cohort, members, round_one
):
    cohort.programme.waitlist_promotion = WaitlistPromotion.AUTOMATIC
    cohort.programme.save()
    waiting = application_in(
        ApplicationStatus.WAITLISTED, programme=cohort.programme, email="wes@example.org"
    )
    staff = StaffFactory()
    session_two = Session.objects.get(cohort=cohort, number=2)

    person_erase(subject=DataSubject(email="wes@example.org"), by=staff)
    member_leave(application=members["Ada"], by=members["Ada"].user, now=session_two.starts_at - HOUR)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.cohort) == (ApplicationStatus.WITHDRAWN, None)
    # Who withdrew them is kept; the note about them goes with the rest of their data.
    assert list(
        ApplicationStatusChange.objects.filter(application=waiting).values_list("changed_by", "to_status")
    ) == [(staff.pk, ApplicationStatus.WITHDRAWN)]
    assert OutgoingEmail.objects.filter(kind=EmailKind.DECISION_OFFERED).count() == 0
