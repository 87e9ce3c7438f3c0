"""The whole programme, end to end, in Chromium, with the clock moved forward between steps (issue 10).

The manager sets up a programme in the admin; 25 people register interest and 23 apply; the manager offers 20
places and waitlists 3; 19 confirm, one declines and the first waitlisted person is offered and confirms; the
best time is confirmed; invites go out; five coffee rounds open and close; notes and a blog post are written and
one is shared publicly after consent and approval; feedback and the evaluation are answered.

After each step: every person has received exactly the emails expected by then (nothing missing, nothing twice),
and sees what they should on their pages. The periodic dispatcher (what beat runs) is called directly at each
moment; emails are sent eagerly. The live server runs in a thread of this process, so it sees the travelled clock.

Every kind of action is done at least once in the browser. For the bulk of the 25 people the same forms are
posted with Django's test Client (`FormPoster`: the page's real form, fields and defaults, like a browser
submits it), each person from their own address, so the public forms' per-address rate limit stays as it is.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from applications.enums import ApplicationStatus
from applications.models import Application, Cohort, Programme
from cohort_site.mail.tasks import reminders_dispatch_task
from learning.models import Entry, Survey
from pairings.models import PairMember, Round
from sessions_app.models import Session
from tests.factories import StaffFactory

from .forms import fill_application
from .journey import Browser, FormPoster, Inbox, latest_email, link_in

LONDON = ZoneInfo("Europe/London")
YEAR = 2027  # the brief's calendar (Wednesday 21 July deadline), in a year still ahead of the real clock
SLUG = "relationships-2027"
TITLE = "How can we continue to put relationships and connections at the heart of our work"
MANAGER_EMAIL = "zoe@example.org"

FIRST = ["Ada", "Ben", "Cara", "Dev", "Ema", "Finn", "Gita", "Hal", "Ines", "Jon", "Kemi", "Leo", "Mia"]
FIRST += ["Nils", "Ola", "Pia", "Quin", "Rhys", "Sana", "Tom", "Una", "Vic", "Wen", "Xan", "Yara"]
PEOPLE = [
    {"name": f"{first} Example{n:02d}", "email": f"{first.lower()}@example.org", "ip": f"10.0.0.{n + 10}"}
    for n, first in enumerate(FIRST)
]
EMAILS = [p["email"] for p in PEOPLE]
BROWSER_MEMBER, DECLINER, CO_AUTHOR = 0, 1, 2
APPLY_EARLY = range(0, 18)  # apply before the reminder to apply
APPLY_LATE = range(18, 23)  # reminded, then apply
NEVER_APPLY = range(23, 25)
OFFERED = range(0, 20)
WAITLISTED = range(20, 23)
PROMOTED = 20
MEMBERS = [n for n in range(0, 21) if n != DECLINER]
FEEDBACK_ANSWER = MEMBERS[:8]  # after each session; the other 12 are reminded
MIDPOINT_ANSWER = MEMBERS[:10]
EVALUATION_ANSWER = MEMBERS[:14]


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, hour, minute, tzinfo=LONDON)


def dispatch() -> None:
    """What beat runs every few minutes: the reminder dispatcher, here run eagerly at the travelled moment."""
    reminders_dispatch_task.apply()


def emails(indexes) -> list[str]:
    return [EMAILS[n] for n in indexes]


def application_answers(n: int) -> dict:
    """Everyone can come on Tuesdays at 14:00; half also on Monday mornings, the other half Thursday mornings."""
    return {
        "monday": "yes" if n % 2 == 0 else "no",
        "tuesday": "yes",
        "thursday": "if_need_be" if n % 2 == 0 else "yes",
    }


@pytest.fixture
def journey(live_server, page, screenshot_dir, transactional_db, settings):
    cache.clear()  # rate-limit counters from another run at the same travelled moment
    settings.SITE_URL = live_server.url
    browser = Browser(page, live_server, screenshot_dir)
    yield browser
    cache.clear()


@pytest.mark.browser
def test_the_whole_programme_end_to_end(journey):
    browser = journey
    page = browser.page
    page.set_default_timeout(10_000)
    inbox = Inbox()
    manager = StaffFactory(
        email=MANAGER_EMAIL, name="Zoë Cumberland", is_superuser=True, password="connect-and-share-1"
    )

    # --- Friday 25 June: the manager signs in and sets the programme up in the admin ----------------------------
    with time_machine.travel(at(6, 25, 10), tick=True):
        browser.go("/accounts/login/", "login")
        page.get_by_label("Email").fill(MANAGER_EMAIL)
        page.get_by_label("Password").fill("connect-and-share-1")
        page.get_by_role("button", name="Sign in with password").click()
        page.wait_for_load_state()

        browser.go("/admin/applications/programme/add/", "admin-programme-add")
        page.get_by_label("Title:").fill(TITLE)
        page.get_by_label("Summary:").fill(
            "A community of practice for Connection Coalition members: six online sessions to share practice."
        )
        page.get_by_label("Who it is for:").fill(
            "You are working toward reducing social isolation and building more resilient communities."
        )
        page.get_by_label("What to expect:").fill("A space to share experiences and increase knowledge.")
        page.get_by_label("Time commitment:").fill("2-3 days over 6 weeks.")
        page.get_by_label("Location:").fill("Online, so you can join us from wherever you are.")
        page.get_by_label("Contact name:").fill("Zoë Cumberland")
        page.get_by_label("Contact email:").fill(MANAGER_EMAIL)
        page.locator("#id_applications_open_at_0").fill(f"{YEAR}-06-28")
        page.locator("#id_applications_open_at_1").fill("09:00")
        page.locator("#id_applications_close_at_0").fill(f"{YEAR}-07-21")
        page.locator("#id_applications_close_at_1").fill("09:00")
        page.locator("#id_confirmation_week").fill(f"{YEAR}-07-26")
        page.locator("#id_first_session_week").fill(f"{YEAR}-08-09")
        page.get_by_text("Add another Programme section").click()
        page.locator("#id_sections-0-key").fill("about-you")
        page.locator("#id_sections-0-heading").fill("About you")
        page.locator("#id_sections-0-body").fill(
            "The community is open to anyone within the Connection Coalition who is working toward reducing "
            "social isolation.\n\n- you are an active practitioner\n- you have support from your organisation"
        )
        page.get_by_text("Add another Drop in").click()
        page.locator("#id_drop_ins-0-starts_at_0").fill(f"{YEAR}-07-14")
        page.locator("#id_drop_ins-0-starts_at_1").fill("15:00")
        page.locator("#id_drop_ins-0-ends_at_0").fill(f"{YEAR}-07-14")
        page.locator("#id_drop_ins-0-ends_at_1").fill("16:00")
        page.locator("#id_drop_ins-0-join_url").fill("https://meet.example.org/drop-in")
        page.locator("#id_drop_ins-0-host_name").fill("Zoë Cumberland")
        for index, (weekday, start) in enumerate([("0", "10:00"), ("1", "14:00"), ("3", "10:00")]):
            page.get_by_text("Add another Candidate time").click()
            page.locator(f"#id_candidate_times-{index}-weekday").select_option(weekday)
            page.locator(f"#id_candidate_times-{index}-start_time").fill(start)
        # The admin fills the web address in from the title; the manager shortens it (a change event marks it
        # edited). A new programme starts unpublished: she publishes it at once, as this one opens in a week.
        page.get_by_label("Web address:").fill(SLUG)
        page.get_by_label("Web address:").dispatch_event("change")
        page.get_by_label("Is published").check()
        browser.shot("admin-programme-form")
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_load_state()
        assert browser.messages() == [f"The programme “{TITLE}” was added successfully."]

        programme = Programme.objects.get(slug=SLUG)
        assert (programme.applications_open_at, programme.applications_close_at) == (
            at(6, 28, 9),
            at(7, 21, 9),
        )
        assert list(programme.candidate_times.values_list("weekday", "start_time")) == [
            (0, datetime.time(10)),
            (1, datetime.time(14)),
            (3, datetime.time(10)),
        ]
        times = {t.weekday: t for t in programme.candidate_times.all()}
        time_fields = {
            "monday": f"time_{times[0].pk}",
            "tuesday": f"time_{times[1].pk}",
            "thursday": f"time_{times[3].pk}",
        }

        browser.as_person(None)
        browser.go(f"/programmes/{SLUG}/", "programme-page-not-yet-open")
        assert browser.h1() == TITLE
        dispatch()
        inbox.check("set-up")

    # --- Tuesday 6 July: 25 people register interest ---------------------------------------------------------
    with time_machine.travel(at(7, 6, 10), tick=True):
        person = PEOPLE[BROWSER_MEMBER]
        browser.go(f"/programmes/{SLUG}/", "programme-page-open")
        page.get_by_role("link", name="Register interest and join a drop-in").click()
        assert browser.h1() == "Register your interest"
        page.get_by_label("Your name").fill(person["name"])
        page.get_by_label("Email address").fill(person["email"])
        page.get_by_role("combobox", name="Organisation").fill("Leeds Befriending")
        page.get_by_label("Your role").fill("Volunteer coordinator")
        page.get_by_label("I agree to the Jo Cox Foundation storing these details").check()
        browser.shot("interest-form")
        page.get_by_role("button", name="Register interest").click()
        assert browser.h1() == "Thank you for your interest"
        browser.shot("interest-thanks")
        for n, person in enumerate(PEOPLE):
            if n == BROWSER_MEMBER:
                continue
            FormPoster(person["ip"]).submit(
                f"/programmes/{SLUG}/interest/",
                {
                    "name": person["name"],
                    "email": person["email"],
                    "organisation": f"Organisation {n % 9}",
                    "role": "Project lead",
                    "consent": "on",
                },
                containing="consent",
            )
        inbox.expect("interest-confirmation", *EMAILS)
        dispatch()
        inbox.check("interest registered")

    # --- Wednesday 14 July, half an hour before the drop-in: everyone interested is reminded ------------------
    with time_machine.travel(at(7, 14, 14, 30), tick=True):
        dispatch()
        inbox.expect("drop-in-reminder", *EMAILS)
        inbox.check("drop-in reminder")

    # --- Thursday 15 July: 18 apply ---------------------------------------------------------------------------
    with time_machine.travel(at(7, 15, 10), tick=True):
        apply_in_browser(browser, PEOPLE[BROWSER_MEMBER], time_labels=True)
        for n in APPLY_EARLY:
            if n != BROWSER_MEMBER:
                apply_by_post(n, time_fields)
        inbox.expect("application-received", *emails(APPLY_EARLY))
        dispatch()
        inbox.check("18 applied")

        # The applicant opens the private link from their confirmation email.
        private = link_in(latest_email(EMAILS[BROWSER_MEMBER], "application-received"), "/my-application/")
        browser.go(private, "private-application-open")
        assert browser.h1() == "Your application"
        assert page.get_by_role("link", name="Change my answers").is_visible()

    # --- Monday 19 July, two days before the deadline: those who have not applied are reminded ----------------
    with time_machine.travel(at(7, 19, 10), tick=True):
        dispatch()
        inbox.expect("apply-reminder", *emails([*APPLY_LATE, *NEVER_APPLY]))
        inbox.check("apply reminder")
        for n in APPLY_LATE:
            apply_by_post(n, time_fields)
        inbox.expect("application-received", *emails(APPLY_LATE))
        dispatch()
        inbox.check("23 applied")
        assert Application.objects.filter(programme=programme).count() == 23

    # --- Wednesday 21 July, after the 9am deadline ------------------------------------------------------------
    with time_machine.travel(at(7, 21, 10), tick=True):
        dispatch()
        inbox.check("after the deadline")
        browser.go(f"/programmes/{SLUG}/apply/", "apply-after-deadline")
        # After the deadline the private link shows the status (and the applicant's data), but no longer edits.
        browser.go(private, "private-link-after-deadline")
        assert page.locator("p.lead").first.inner_text() == "Status: Submitted."
        assert page.get_by_role("link", name="Change my answers").count() == 0

    # --- Monday 26 July, the confirmation week: a group, 20 offers and 3 on the waitlist -----------------------
    with time_machine.travel(at(7, 26, 10), tick=True):
        browser.as_person(manager)
        browser.go(f"/selection/programmes/{SLUG}/", "selection-programme")
        page.get_by_role("button", name="Create the next group").click()
        assert browser.h1() == "Group 1"
        cohort = Cohort.objects.get(programme=programme)
        assert (cohort.size, cohort.first_session_week) == (20, datetime.date(YEAR, 8, 9))

        admin_action(browser, programme, [PEOPLE[n]["name"] for n in OFFERED], "Offer places in a group…")
        assert browser.h1() == "Offer places: 20 selected"
        page.get_by_label("Save the emails as drafts to preview and send later").check()
        browser.shot("selection-decide-offer")
        page.get_by_role("button", name="Offer places").click()
        assert browser.h1() == "Group 1"
        assert page.locator("#fill-text").inner_text() == "20/20"
        browser.shot("selection-group-full")
        dispatch()
        inbox.check("offers are drafts")  # nothing has gone yet: the manager reads them first

        browser.go(f"/selection/programmes/{SLUG}/emails/", "selection-decision-emails")
        assert browser.h1() == "Decision emails waiting to be sent (20)"
        page.get_by_role("button", name="Send the ticked emails").click()
        assert browser.messages() == ["Sending 20 emails."]
        inbox.expect("decision-offered", *emails(OFFERED))

        admin_action(browser, programme, [PEOPLE[n]["name"] for n in WAITLISTED], "Put on the waitlist…")
        assert browser.h1() == "Waitlist: 3 selected"
        page.get_by_label("Send the emails now").check()
        page.get_by_role("button", name="Waitlist").click()
        inbox.expect("decision-waitlisted", *emails(WAITLISTED))
        browser.go(f"/selection/programmes/{SLUG}/", "selection-programme-waitlist")
        dispatch()
        inbox.check("offers and waitlist sent")
        assert list(
            Application.objects.filter(status=ApplicationStatus.WAITLISTED)
            .order_by("waitlist_position")
            .values_list("email", flat=True)
        ) == emails(WAITLISTED)
        # The first on the waitlist sees where they stand through the link in their confirmation email.
        waitlisted = link_in(latest_email(EMAILS[WAITLISTED[0]], "application-received"), "/my-application/")
        browser.go(waitlisted, "private-link-waitlisted")
        assert page.locator("p.lead").first.inner_text() == "Status: Waitlisted."

    # --- Tuesday 27 July: 19 confirm and one declines, through the links in their emails ------------------------
    with time_machine.travel(at(7, 27, 10), tick=True):
        browser.as_person(None)
        offer = link_in(latest_email(EMAILS[BROWSER_MEMBER], "decision-offered"), "/offer/")
        browser.go(offer, "offer-open")
        assert browser.h1() == "Your place in Group 1"
        page.get_by_role("button", name="Confirm my place").click()
        assert browser.h1() == "Your place"
        browser.shot("my-place")
        inbox.expect("decision-confirmed", EMAILS[BROWSER_MEMBER])

        decline = link_in(latest_email(EMAILS[DECLINER], "decision-offered"), "/offer/")
        browser.as_person(None)
        browser.go(decline)
        page.get_by_role("button", name="I can no longer take part").click()
        assert browser.h1() == "Thank you for letting us know"
        browser.shot("offer-declined")
        inbox.expect("decision-withdrawn", EMAILS[DECLINER])
        inbox.expect("place-freed", MANAGER_EMAIL)

        for n in OFFERED:
            if n not in (BROWSER_MEMBER, DECLINER):
                link = link_in(latest_email(EMAILS[n], "decision-offered"), "/offer/")
                FormPoster(PEOPLE[n]["ip"]).submit(link, {"answer": "confirm"}, containing="answer")
                inbox.expect("decision-confirmed", EMAILS[n])
        dispatch()
        inbox.check("19 confirmed, 1 declined")

        # The manager follows the link in the "place is free" email and offers it to the first on the waitlist.
        browser.as_person(manager)
        browser.go(link_in(latest_email(MANAGER_EMAIL, "place-freed"), "/selection/"))
        assert page.locator("#fill-text").inner_text() == "19/20"
        offer_button = page.get_by_role("button", name=f"Offer {PEOPLE[PROMOTED]['name']} a place")
        page.locator("form", has=offer_button).get_by_label("Send the emails now").check()
        offer_button.click()
        assert browser.messages() == [f"Offered a place in Group 1 to {PEOPLE[PROMOTED]['name']}."]
        browser.shot("selection-group-promoted")
        inbox.expect("decision-offered", EMAILS[PROMOTED])
        dispatch()
        inbox.check("waitlist promoted")

    # --- Monday 2 August, early: the promoted applicant is reminded, and confirms from the reminder ---------------
    # (offered on 27 July, the place is held to 23:59 on 3 August like every offer; reminded two days before)
    with time_machine.travel(at(8, 2, 8), tick=True):
        dispatch()
        inbox.expect("offer-reminder", EMAILS[PROMOTED])
        inbox.check("offer reminder")
        browser.as_person(None)
        browser.go(link_in(latest_email(EMAILS[PROMOTED], "offer-reminder"), "/offer/"))
        page.get_by_role("button", name="Confirm my place").click()
        assert browser.h1() == "Your place"
        inbox.expect("decision-confirmed", EMAILS[PROMOTED])
        dispatch()
        inbox.check("group complete")
        assert sorted(
            Application.objects.filter(cohort=cohort, status=ApplicationStatus.CONFIRMED).values_list(
                "email", flat=True
            )
        ) == sorted(emails(MEMBERS))

    users = {n: Application.objects.get(email=EMAILS[n]).user for n in MEMBERS}
    member = users[BROWSER_MEMBER]

    # --- Monday 2 August: the best time is confirmed; invites go out; coffee rounds are planned and published ----
    with time_machine.travel(at(8, 2, 10), tick=True):
        browser.as_person(manager)
        browser.go("/staff/schedule/", "schedule-groups")
        browser.go(f"/staff/schedule/cohorts/{cohort.pk}/", "schedule-best-time")
        assert page.locator("input[name=candidate_time]:checked").get_attribute("value") == str(times[1].pk)
        page.get_by_label("Join link").fill("https://meet.example.org/group-1")
        page.get_by_role("button", name="Show the dates").click()
        page.get_by_role("button", name="Confirm these dates and send invites").click()
        assert page.locator("table tbody tr").count() == 6
        browser.shot("schedule-sessions")
        sessions = list(Session.objects.filter(cohort=cohort).order_by("number"))
        assert [s.starts_at for s in sessions] == [
            at(8, 10, 14) + datetime.timedelta(weeks=n) for n in range(6)
        ]
        inbox.expect("session-invite", *emails(MEMBERS))

        browser.go(f"/coffee/cohorts/{cohort.pk}/")
        page.get_by_role("button", name="Plan unpublished rounds").click()
        for number in range(1, 6):
            page.get_by_role("button", name=f"Lock and publish round {number}").click()
            assert browser.messages() == [f"Round {number} is published; introductions go when it opens."]
        browser.shot("coffee-plan")
        rounds = list(Round.objects.filter(cohort=cohort).order_by("number"))
        assert [(r.number, r.status, r.pairs.count()) for r in rounds] == [
            (n, "published", 10) for n in range(1, 6)
        ]
        dispatch()
        inbox.check("schedule confirmed")

        browser.as_person(member)
        browser.go("/schedule/", "member-schedule-before")
        assert page.locator(".session-next h3").inner_text() == "Session 1 (orientation)"
        browser.go("/coffee/", "member-coffee-before")
        for n in MEMBERS:
            assert (
                next_session(FormPoster(PEOPLE[n]["ip"], users[n]).get("/schedule/"))
                == "Session 1 (orientation)"
            )

    for number, session in enumerate(sessions, start=1):
        starts = session.starts_at
        # The day before: everyone is reminded, and sees this session next on their schedule.
        with time_machine.travel(starts - datetime.timedelta(hours=23), tick=True):
            dispatch()
            inbox.expect("session-reminder", *emails(MEMBERS))
            if number == 4:
                # Five days after the mid-point check-in opened: those who have not answered are reminded.
                inbox.expect(
                    "learning-survey-reminder", *emails(m for m in MEMBERS if m not in MIDPOINT_ANSWER)
                )
            inbox.check(f"day before session {number}")
            title = session.title
            for n in MEMBERS:
                assert next_session(FormPoster(PEOPLE[n]["ip"], users[n]).get("/schedule/")) == title

        # Just after the session: the manager records attendance; feedback is asked; the coffee round opens.
        with time_machine.travel(starts + datetime.timedelta(hours=2, minutes=30), tick=True):
            attendance_path = f"/staff/schedule/sessions/{session.pk}/"
            if number == 1:
                browser.as_person(manager)
                browser.go(attendance_path)
                page.get_by_role("button", name="Record attendance").click()
                assert browser.messages() == ["Attendance recorded."]
                browser.shot("session-attendance")
            else:
                FormPoster("10.1.0.1", manager).submit(
                    attendance_path,
                    {},
                    containing=f"attendance-member_{Application.objects.get(email=EMAILS[0]).pk}",
                )
            dispatch()
            inbox.expect("learning-session-feedback", *emails(MEMBERS))
            if number <= 5:
                inbox.expect("coffee-introduction", *emails(MEMBERS))
            if number == 3:
                inbox.expect("learning-survey", *emails(MEMBERS))
            if number == 6:
                inbox.expect("learning-survey", *emails(MEMBERS))
            inbox.check(f"after session {number}")

            feedback_path = link_in(
                latest_email(EMAILS[BROWSER_MEMBER], "learning-session-feedback"), "/learning/"
            )
            if number == 1:
                browser.as_person(member)
                browser.go(feedback_path)
                page.get_by_role("radio", name="5").check()
                page.get_by_label("What worked?").fill("Hearing how others run their befriending calls.")
                browser.shot("feedback-form")
                page.get_by_role("button", name="Send feedback").click()
                assert browser.messages() == ["Thank you: your feedback is saved."]
                browser.shot("my-feedback")
            for n in FEEDBACK_ANSWER:
                if number == 1 and n == BROWSER_MEMBER:
                    continue
                FormPoster(PEOPLE[n]["ip"], users[n]).submit(
                    feedback_path, {"rating": "4", "what_worked": "The breakout rooms."}, containing="rating"
                )

            if number <= 5:
                round_ = rounds[number - 1]
                mine = PairMember.objects.get(round=round_, member__email=EMAILS[BROWSER_MEMBER])
                others = [p for p in round_.pairs.order_by("pk") if p.pk != mine.pair_id]
                met_pairs = [mine.pair, *others[:6]]
                if number == 1:
                    browser.as_person(member)
                    browser.go("/coffee/", "coffee-round-open")
                    partner = mine.pair.memberships.exclude(pk=mine.pk).get().member
                    assert page.locator(".card-title").all_inner_texts() == [partner.name]
                    page.get_by_role("button", name="We met").click()
                    assert browser.messages() == ["Thank you: noted that you met."]
                    browser.shot("coffee-we-met")
                for pair in met_pairs:
                    first = pair.memberships.order_by("member__email").first()
                    if number == 1 and first.pk == mine.pk:
                        continue
                    poster = FormPoster(PEOPLE[EMAILS.index(first.member.email)]["ip"], first.member.user)
                    response = poster.client.post(f"/coffee/met/{first.pk}/", follow=True)
                    assert response.status_code == 200
                nudged = [m.member.email for p in others[6:] for m in p.memberships.all()]
            if number == 3:
                answer_survey(browser, users, "learning-survey", MIDPOINT_ANSWER, in_browser=False)
            if number == 6:
                answer_survey(browser, users, "learning-survey", EVALUATION_ANSWER, in_browser=True)
            if number == 2:
                write_and_share(browser, manager, users, sessions[0])
                inbox.expect("learning-sharing-consent", EMAILS[CO_AUTHOR])
            inbox.check(f"answers after session {number}")

        # Half-way through the coffee round: feedback reminders, and nudges to pairs who have not met.
        with time_machine.travel(starts + datetime.timedelta(days=3, hours=20), tick=True):
            dispatch()
            inbox.expect(
                "learning-session-feedback-reminder", *emails(m for m in MEMBERS if m not in FEEDBACK_ANSWER)
            )
            if number <= 5:
                assert len(nudged) == 6
                inbox.expect("coffee-nudge", *nudged)
            inbox.check(f"half-way after session {number}")

    # --- Monday 20 September, after the last session: the evaluation's reminder; the manager reads the results ----
    with time_machine.travel(at(9, 20, 10), tick=True):
        dispatch()
        inbox.expect("learning-survey-reminder", *emails(m for m in MEMBERS if m not in EVALUATION_ANSWER))
        inbox.check("after the programme")
        browser.as_person(member)
        browser.go("/schedule/", "member-schedule-after")
        assert page.locator(".session-next").count() == 0
        browser.go("/learning/feedback/", "member-feedback-after")
        browser.as_person(manager)
        browser.go("/learning/manage/", "manage-learning")
        browser.go(f"/learning/manage/programmes/{SLUG}/", "results-programme")
        browser.go(f"/learning/manage/sessions/{sessions[0].pk}/", "results-session-1")
        evaluation = Survey.objects.get(programme=programme, kind="evaluation")
        browser.go(f"/learning/manage/surveys/{evaluation.pk}/", "results-evaluation")
        assert evaluation.responses.count() == len(EVALUATION_ANSWER)

    browser_checks_clean(browser)


def next_session(response) -> str | None:
    match = re.search(r'session-next".*?<h3[^>]*>\s*(.*?)\s*</h3>', response.content.decode(), re.S)
    return match.group(1) if match else None


def answer_survey(browser: Browser, users: dict, kind: str, who: list[int], *, in_browser: bool) -> None:
    page = browser.page
    link = link_in(latest_email(EMAILS[BROWSER_MEMBER], kind), "/learning/surveys/")
    survey = Survey.objects.get(pk=int(link.rstrip("/").split("/")[-1]))
    answers = {
        f"q{q.pk}": "4" if q.kind == "rating" else "Meeting people from other organisations."
        for q in survey.questions.filter(is_active=True)
    }
    for n in who:
        if in_browser and n == BROWSER_MEMBER:
            browser.as_person(users[n])
            browser.go(link)
            for question in survey.questions.filter(is_active=True):
                if question.kind == "rating":
                    page.locator(f"input[name=q{question.pk}][value='5']").check()
                else:
                    page.get_by_label(question.text).fill("Meeting people from other organisations.")
            browser.shot(f"survey-{survey.kind}")
            page.get_by_role("button", name="Send answers").click()
            assert browser.messages() == [
                "Thank you: your answers are saved. You can change them here any time."
            ]
            continue
        FormPoster(PEOPLE[n]["ip"], users[n]).submit(link, answers, containing=next(iter(answers)))
    assert survey.responses.count() == len(who)


def write_and_share(browser: Browser, manager, users: dict, session) -> None:
    """The manager writes session notes; a member writes a blog post with a co-author, and it is shared
    publicly once both authors consent and the manager approves. The public library shows it only then."""
    page = browser.page
    title = "What a walking group taught us about connection"
    browser.as_person(manager)
    browser.go("/learning/entries/new/")
    page.get_by_label("What is it?").select_option(label="Session notes")
    page.get_by_label("Title").fill("Notes from the orientation")
    page.get_by_label("Body").fill("## What we agreed\n\n- Cameras optional\n- Start on time")
    page.get_by_label("Session", exact=True).select_option(index=1)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Share with Group 1").click()
    assert browser.messages() == ["Shared with your group."]
    browser.shot("learning-notes")

    browser.as_person(users[BROWSER_MEMBER])
    browser.go("/learning/entries/new/")
    page.get_by_label("What is it?").select_option(label="Blog post")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Body").fill("## Start small\n\nWe began with **three** people and a flask of tea.")
    page.get_by_label("Topics").fill("walking, volunteers")
    page.get_by_label(PEOPLE[CO_AUTHOR]["name"]).check()
    browser.shot("learning-new-entry")
    page.get_by_role("button", name="Save").click()
    assert browser.messages() == ["Saved as a draft: only its authors can see it until you share it."]
    page.get_by_role("button", name="Share with Group 1").click()
    page.get_by_label("Everyone").check()
    page.get_by_role("button", name="Propose").click()
    assert browser.messages() == [
        "Proposed. It goes wider once every author has consented and the manager has approved.",
        f"We have emailed {PEOPLE[CO_AUTHOR]['name']} to ask for their consent.",
    ]
    browser.shot("learning-entry-proposed")
    entry = Entry.objects.get(title=title)
    assert entry.visibility == "group"

    browser.as_person(None)
    browser.go("/learning/", "learning-public-before")
    assert page.get_by_role("link", name=title).count() == 0

    # The co-author is asked on their dashboard as well as by email.
    browser.as_person(users[CO_AUTHOR])
    browser.go("/me/")
    page.get_by_role("link", name=f"Say whether “{title}” may be shared beyond your group").click()
    page.get_by_label("Everyone").check()
    page.get_by_role("button", name="I consent").click()
    assert browser.messages() == ["Your consent is recorded."]
    browser.as_person(None)
    browser.go("/learning/")
    assert page.get_by_role("link", name=title).count() == 0  # both consented; the manager has not approved

    browser.as_person(manager)
    browser.go(entry.get_absolute_url())
    page.get_by_label("Everyone").check()
    page.get_by_role("button", name="Approve").click()
    assert browser.messages() == ["Approved. It is shared once every author has consented."]
    browser.shot("learning-entry-approved")
    browser.as_person(None)
    browser.go("/learning/", "learning-public-after")
    assert page.get_by_role("link", name=title).count() == 1
    assert page.get_by_role("link", name="Notes from the orientation").count() == 0
    browser.go(entry.get_absolute_url(), "learning-public-entry")


def admin_action(browser: Browser, programme, names: list[str], action: str) -> None:
    """Tick the named applications in the admin list and run a bulk action on them."""
    page = browser.page
    browser.go(f"/admin/applications/application/?programme__id__exact={programme.pk}")
    for name in names:
        page.locator("#result_list tr", has=page.get_by_role("link", name=name, exact=True)).locator(
            "input.action-select"
        ).check()
    page.locator("select[name=action]").select_option(label=action)
    browser.shot(f"admin-applications-{len(names)}-ticked")
    page.get_by_role("button", name="Go").click()
    page.wait_for_load_state()


def apply_in_browser(browser: Browser, person: dict, *, time_labels: bool) -> None:
    page = browser.page
    browser.go(f"/programmes/{SLUG}/")
    page.get_by_role("link", name="Apply now").click()
    assert browser.h1() == "Apply to join the group"
    fill_application(
        page,
        name=person["name"],
        email=person["email"],
        times={
            "Monday 10:00–12:00": "Yes",
            "Tuesday 14:00–16:00": "Yes",
            "Thursday 10:00–12:00": "If need be",
        },
    )
    browser.shot("apply-form")
    page.get_by_role("button", name="Send my application").click()
    assert browser.h1() == "Thank you for applying"
    browser.shot("apply-thanks")


def apply_by_post(n: int, time_fields: dict) -> None:
    person = PEOPLE[n]
    answers = application_answers(n)
    FormPoster(person["ip"]).submit(
        f"/programmes/{SLUG}/apply/",
        {
            "name": person["name"],
            "email": person["email"],
            "organisation": f"Organisation {n % 9}",
            "role": "Project lead",
            "role_type": "front_line" if n % 3 else "designing",
            "pandemic_work": "Food parcels and phone calls.",
            "learning_gained": "People want to give as well as receive.",
            "motivation": "To learn from peers.",
            "hopes": f"Ideas to take back to organisation {n % 9}.",
            "challenge": "Keeping volunteers connected.",
            "share_challenge_with_partners": "on",
            "organisation_support": "on",
            "team_open_to_ideas": "on",
            "commits_to_openness": "on",
            "commits_to_sharing": "on",
            "consent": "on",
            **{time_fields[day]: answer for day, answer in answers.items()},
        },
        containing="submission_token",
    )


def browser_checks_clean(browser: Browser) -> None:
    assert browser.console_errors == []
