"""Issue 20's journey in Chromium, by labels: a programme manager (staff, not a superuser) sets up a programme of
her own in the admin, with a question of each kind and her own wording of the offer email, and publishes it beside
the demo's open call; an applicant answers the new questions; the manager finds her by a choice answer, exports
the applications as CSV with the new columns, offers her a place as a draft email, rewrites the draft and sends it.
A reviewer given the new programme scores the application but decides nothing. The applicant downloads her data
(the new answers are in it) through her private link; erasure from the staff page removes them.

The reviewer scores before the offer and the erasure, so her note is among what the erasure removes.

Each step is done the way a person does it: by the labels and buttons they read (`get_by_label`, `get_by_role`),
never by waiting a fixed time. Screenshots of each page kind go to test-results/<test name>/."""

import csv
import datetime
import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ApplicationStatus, QuestionKind
from applications.models import Application, EmailWording, Programme, ProgrammeReviewer, QuestionAnswer
from applications.questions.defaults import DEFAULTS
from cohort_site.core.data_subjects import DataSubject, personal_data_export_json
from cohort_site.demo import open_call
from cohort_site.mail.enums import EmailKind, EmailStatus
from cohort_site.mail.models import OutgoingEmail
from tests.factories import StaffFactory

from .forms import fill_application
from .journey import Browser, latest_email, link_in

TITLE = "Neighbourhoods that care"
SLUG = "neighbourhoods"
APPLICANT = {"name": "Amara Nwosu", "email": "amara.nwosu@example.org"}

# The new programme's own questions, one of each kind: (label, kind, choices, longest answer).
SHORT = "Which neighbourhood do you work in?"
LONG = "Tell us about a neighbour you helped"
ONE = "How did you hear about this programme?"
SEVERAL = "Which of these do you run?"
YES_NO = "Have you been in a peer group before?"
DATE = "When could you start?"
QUESTIONS = [
    (SHORT, QuestionKind.SHORT_TEXT, "", ""),
    (LONG, QuestionKind.LONG_TEXT, "", "400"),
    (ONE, QuestionKind.ONE_CHOICE, "A friend\nA newsletter\nSocial media", ""),
    (SEVERAL, QuestionKind.SEVERAL_CHOICES, "Befriending\nFood bank\nYouth work", ""),
    (YES_NO, QuestionKind.YES_NO, "", ""),
    (DATE, QuestionKind.DATE, "", ""),
]
ANSWERS = {
    SHORT: "Hulme, Manchester",
    LONG: "An older man on our street who had not left his flat since the spring.",
    ONE: "A newsletter",
    SEVERAL: "Befriending\nYouth work",
    YES_NO: "no",
    DATE: "2030-09-06",
}

OFFER_SUBJECT = "Your place in {programme}"
OFFER_BODY = (
    "Dear {name},\n\n"
    "We are glad to offer you a place in {group} of {programme}.\n\n"
    "Please tell us by {deadline} whether you will take it: {link}\n\n"
    "Warm wishes,\nThe Neighbourhoods team\n"
)


def next_monday(day: datetime.date) -> datetime.date:
    return day + timedelta(days=7 - day.weekday())


def without_offer_link(text: str) -> str:
    return re.sub(r"/offer/[^/\s]+/", "/offer/<signed>/", text)


def programme_manager():
    """Staff with every permission, but not a superuser: a programme manager (tests/core/test_admin_for_managers)."""
    manager = StaffFactory(email="zoe@example.org", name="Zoë Cumberland")
    manager.user_permissions.set(Permission.objects.all())
    return manager


@pytest.fixture
def browser(live_server, page, screenshot_dir, transactional_db, settings):
    settings.SITE_URL = live_server.url  # the links in emails lead to this server
    page.set_default_timeout(15_000)
    return Browser(page, live_server, screenshot_dir)


def add_the_programme(page) -> None:
    """The manager fills the admin's programme form by its labels and saves it, published."""
    today = timezone.localdate()
    closes = today + timedelta(days=14)
    confirmation = next_monday(closes)
    page.get_by_label("Title:").fill(TITLE)
    page.get_by_label("Summary:").fill("Six online sessions for people who look after their neighbours.")
    # The admin wrote a web address from the title as she left it; she shortens it (a change event marks it typed).
    page.get_by_label("Web address:").fill(SLUG)
    page.get_by_label("Web address:").dispatch_event("change")
    page.get_by_label("Who it is for:").fill("Anyone who runs neighbourly support in their area.")
    page.get_by_label("What to expect:").fill("A small group sharing what works, and what does not.")
    page.get_by_label("Time commitment:").fill("Two hours a week for six weeks.")
    page.get_by_label("Location:").fill("Online.")
    page.get_by_label("Contact name:").fill("Zoë Cumberland")
    page.get_by_label("Contact email:").fill("zoe@example.org")
    page.get_by_label("Applications open at, date").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Applications open at, time").fill("09:00")
    page.get_by_label("Applications close at, date").fill(closes.isoformat())
    page.get_by_label("Applications close at, time").fill("17:00")
    page.get_by_label("Confirmation week:").fill(confirmation.isoformat())
    page.get_by_label("First session week:").fill((confirmation + timedelta(weeks=2)).isoformat())
    for row, (weekday, start) in enumerate([("Monday", "10:00"), ("Wednesday", "14:00")]):
        page.get_by_role("button", name="Add another Candidate time").click()
        times = page.locator(f"#candidate_times-{row}")
        times.get_by_label("Weekday, new row").select_option(label=weekday)
        times.get_by_label("Start time, new row").fill(start)
    for row, (label, kind, choices, longest) in enumerate(QUESTIONS):
        page.get_by_role("button", name="Add another Application question").click()
        question = page.locator(f"#questions-{row}")
        question.get_by_label("Question:", exact=True).fill(label)
        question.get_by_label("Kind:").select_option(value=kind)
        if choices:
            question.get_by_label("Choices:").fill(choices)
        if longest:
            question.get_by_label("Longest answer (characters):").fill(longest)
    page.get_by_label("Is published").check()


@pytest.mark.browser
def test_a_manager_runs_a_programme_of_her_own_beside_the_demo(browser, settings):
    page = browser.page
    settings.DEBUG = True  # seed_demo runs in development only
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
    demo = Programme.objects.get(slug=open_call.SLUG)
    manager = programme_manager()

    # --- The manager sets the programme up in the admin, with a question of each kind, and publishes it --------
    browser.as_person(manager)
    browser.go(reverse("admin:applications_programme_add"))
    add_the_programme(page)
    browser.shot("admin-programme-form")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**" + reverse("admin:applications_programme_changelist"))
    added = browser.messages()
    programme = Programme.objects.get(slug=SLUG)

    assert added == [f"The programme “{TITLE}” was added successfully."]
    assert (programme.is_published, programme.min_available_times) == (True, 2)
    assert [
        (q.label, q.kind, q.choice_list, q.max_length, q.required)
        for q in programme.questions.filter(builtin="")
    ] == [
        (label, kind, choices.splitlines(), int(longest) if longest else None, False)
        for label, kind, choices, longest in QUESTIONS
    ]
    # Beside them, the form's own questions as the brief words them, which she may reword later.
    assert [(q.builtin, q.label) for q in programme.questions.exclude(builtin="").order_by("pk")] == [
        (builtin.key, builtin.label) for builtin in DEFAULTS
    ]

    # Her own wording of the offer email, with placeholders.
    browser.go(reverse("admin:applications_emailwording_add"))
    page.get_by_label("Programme:").select_option(label=TITLE)
    page.get_by_label("Email:").select_option(label="Offer of a place")
    page.get_by_label("Subject:").fill(OFFER_SUBJECT)
    page.get_by_label("Text:").fill(OFFER_BODY)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**" + reverse("admin:applications_emailwording_changelist"))

    assert browser.messages() == [
        f"The programme's email wording “{TITLE}: {EmailKind.DECISION_OFFERED}” was added successfully."
    ]
    # As typed, with plain line breaks (the browser sent CR LF).
    assert EmailWording.objects.values_list("subject", "body").get(programme=programme) == (
        OFFER_SUBJECT,
        OFFER_BODY.strip(),
    )

    # Both programmes are open on the home page.
    browser.as_person(None)
    browser.go("/", "home-two-programmes")
    home = (browser.h1(), sorted(page.locator("li.card h3").all_inner_texts()))

    assert home == ("Open for applications", sorted([demo.title, TITLE]))

    # --- An applicant applies, answering the new questions by their labels -------------------------------------
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Apply now").click()
    page.wait_for_url(f"**/programmes/{SLUG}/apply/")
    fill_application(
        page,
        **APPLICANT,
        times={"Monday 10:00–12:00": "Yes", "Wednesday 14:00–16:00": "Yes"},
    )
    page.get_by_label(SHORT).fill(ANSWERS[SHORT])
    page.get_by_label(LONG).fill(ANSWERS[LONG])
    page.get_by_role("group", name=ONE).get_by_label("A newsletter").check()
    several = page.get_by_role("group", name=SEVERAL)
    several.get_by_label("Befriending").check()
    several.get_by_label("Youth work").check()
    page.get_by_role("group", name=YES_NO).get_by_label("No").check()
    page.get_by_label(DATE).fill(ANSWERS[DATE])
    browser.shot("application-form")
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_url(f"**/programmes/{SLUG}/apply/thank-you/")

    application = Application.objects.get(programme=programme)
    assert browser.h1() == "Thank you for applying"
    assert (application.name, application.email, application.status) == (
        APPLICANT["name"],
        APPLICANT["email"],
        ApplicationStatus.SUBMITTED,
    )
    assert dict(application.question_answers.values_list("question__label", "text")) == ANSWERS

    # --- The manager finds her by a choice answer and exports the list as CSV ----------------------------------
    browser.as_person(manager)
    browser.go(reverse("admin:applications_application_changelist"))
    choice_filter = page.locator("#changelist-filter details").filter(has_text=f"By {ONE} ({TITLE})")
    choice_filter.get_by_role("link", name="A newsletter").click()
    page.wait_for_url("**?*question_*")
    browser.shot("applications-by-choice")
    listed = page.locator("#result_list tbody th").all_inner_texts()

    assert listed == [APPLICANT["name"]]

    page.get_by_role("checkbox", name=f"Select this object for an action - {APPLICANT['name']}").check()
    page.get_by_label("Action:").select_option(label="Export selected applications as CSV")
    with page.expect_download() as download:
        page.get_by_role("button", name="Go").click()
    with open(download.value.path(), encoding="utf-8-sig", newline="") as exported:
        header, *rows = list(csv.reader(exported))

    assert download.value.suggested_filename == "applications.csv"
    assert header[-len(QUESTIONS) :] == [label for label, *_ in QUESTIONS]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert [row["Programme"], row["Name"], row["Email"]] == [TITLE, APPLICANT["name"], APPLICANT["email"]]
    assert [row[label] for label, *_ in QUESTIONS] == [
        ANSWERS[label].replace("\n", "; ") for label, *_ in QUESTIONS
    ]

    # --- A reviewer given the new programme scores it and decides nothing --------------------------------------
    reviewer = StaffFactory(email="rev@example.org", name="Rita Reviewer")
    ProgrammeReviewer.objects.create(programme=programme, user=reviewer)
    browser.as_person(reviewer)
    browser.go(reverse("admin:applications_application_changelist"))
    reviewer_list = page.locator("#result_list tbody th").all_inner_texts()
    reviewer_actions = page.get_by_label("Action:").locator("option").all_inner_texts()
    page.get_by_role("link", name=APPLICANT["name"]).click()
    page.wait_for_url(f"**/{application.pk}/change/")
    page.get_by_label("Manager notes:").fill("Strong on volunteers; ask about youth work.")
    page.get_by_label("Score (0 to 10):").fill("8")
    browser.shot("reviewer-scores")
    status_controls = page.locator("[name=status], [name=cohort]").count()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**" + reverse("admin:applications_application_changelist"))
    application.refresh_from_db()
    refused = {
        path: browser.go(path, status=404).status
        for path in (
            reverse("mail:outbox"),
            reverse("applications:selection_programme", kwargs={"slug": SLUG}),
            reverse("applications:selection_decide", args=["offer"]) + f"?ids={application.pk}",
        )
    }

    assert reviewer_list == [APPLICANT["name"]]
    assert reviewer_actions == ["---------", "Export selected applications as CSV"]
    assert status_controls == 0
    assert (application.manager_notes, application.score, application.status) == (
        "Strong on volunteers; ask about youth work.",
        8,
        ApplicationStatus.SUBMITTED,
    )
    assert set(refused.values()) == {404}

    # --- The manager offers her a place, as a draft, rewrites the draft and sends it --------------------------
    browser.as_person(manager)
    browser.go(reverse("admin:applications_programme_changelist"))
    page.get_by_role("row", name=TITLE).get_by_role("link", name="Groups and waitlist").click()
    page.get_by_role("button", name="Create the next group").click()
    page.wait_for_url("**/selection/groups/*/")
    browser.go(reverse("admin:applications_application_changelist"))
    page.get_by_role("checkbox", name=f"Select this object for an action - {APPLICANT['name']}").check()
    page.get_by_label("Action:").select_option(label="Offer places in a group…")
    page.get_by_role("button", name="Go").click()
    page.wait_for_url("**/selection/decide/offer/*")
    page.get_by_label("Group").select_option(label=f"{TITLE}: Group 1")
    page.get_by_label("Save the emails as drafts to preview and send later").check()
    page.get_by_role("button", name="Offer places").click()
    page.wait_for_url("**/selection/groups/*/")
    draft = OutgoingEmail.objects.get(kind=EmailKind.DECISION_OFFERED, to=APPLICANT["email"])
    custom_subject = f"Your place in {TITLE}"

    assert (draft.status, draft.subject) == (EmailStatus.DRAFT, custom_subject)

    browser.go(reverse("mail:outbox"))
    page.get_by_role("link", name=custom_subject).click()
    page.get_by_role("link", name="Edit this draft").click()
    page.wait_for_url(f"**/staff/outbox/{draft.pk}/edit/*")
    written = (page.get_by_label("Subject").input_value(), page.get_by_label("Text").input_value())
    edited = (
        written[1]
        .replace("We are glad to offer you a place", "We would love you to join us: here is a place")
        .replace("Warm wishes,", "See you soon,")
    )
    page.get_by_label("Text").fill(edited)
    browser.shot("draft-edit")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url(f"**/staff/outbox/{draft.pk}/")
    browser.go(reverse("mail:outbox"))
    page.get_by_role("checkbox", name=f"Select “{custom_subject}” to {APPLICANT['email']}").check()
    page.get_by_role("button", name="Send selected drafts").click()
    expect(page.get_by_role("status")).to_have_text("1 draft queued to send.")  # the outbox again, when sent
    draft.refresh_from_db()
    delivered = [(m.subject, m.body) for m in mail.outbox if m.to == [APPLICANT["email"]]]

    assert written[0] == custom_subject
    assert written[1].startswith(
        f"Dear {APPLICANT['name']},\n\nWe are glad to offer you a place in Group 1 of {TITLE}.\n\n"
        "Please tell us by "
    )
    assert written[1].endswith("Warm wishes,\nThe Neighbourhoods team\n")
    # Sent as she wrote it; only the answer link is signed afresh as it goes (its deadline starts then).
    assert (draft.status, draft.subject, without_offer_link(draft.body_text)) == (
        EmailStatus.SENT,
        custom_subject,
        without_offer_link(edited),
    )
    assert delivered == [
        (f"We have your application: {TITLE}", delivered[0][1]),
        (custom_subject, draft.body_text),
    ]

    # --- The applicant downloads her data through her private link: the new answers are in it -----------------
    private = link_in(latest_email(APPLICANT["email"], EmailKind.APPLICATION_RECEIVED), "/my-application/")
    browser.as_person(None)
    browser.go(private, "private-link")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON").click()
    with open(download.value.path(), encoding="utf-8") as exported:
        data = json.load(exported)

    assert {
        (answer["question__label"], answer["text"])
        for answer in data["data"]["applications"]["answers_to_programme_questions"]
    } == set(ANSWERS.items())

    # --- Erased from the staff page: her answers (and the reviewer's note) go, and her link stops working -------
    browser.as_person(manager)
    browser.go(reverse("members:staff_erasure"))
    page.get_by_label("Email").fill(APPLICANT["email"])
    page.get_by_label("I understand this cannot be undone").check()
    page.get_by_role("button", name="Erase").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Everything held about {APPLICANT['email']} has been erased."
    )
    application.refresh_from_db()
    after = json.loads(personal_data_export_json(DataSubject(email=APPLICANT["email"])))
    browser.as_person(None)
    browser.go(private, status=404)

    assert QuestionAnswer.objects.filter(application=application).count() == 0
    assert (application.name, application.manager_notes) == ("Erased person", "")
    assert after["data"]["applications"]["answers_to_programme_questions"] == []
    assert after["data"]["applications"]["applications"] == []
    assert browser.console_errors == []
