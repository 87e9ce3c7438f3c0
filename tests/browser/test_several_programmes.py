"""Issue 20 in Chromium, by labels: staff preview a second programme and publish it beside the demo's open call
(both on the home page at once), then edit a decision email waiting as a draft and send it as edited."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from applications.enums import ApplicationStatus, Notify
from applications.models import Programme
from applications.services import application_set_status
from cohort_site.demo import open_call
from cohort_site.mail.enums import EmailKind, EmailStatus
from cohort_site.mail.models import OutgoingEmail
from tests.browser.world_pages import sign_in_as
from tests.factories import ApplicationFactory, ProgrammeFactory

EDITED = "Dear Asha,\n\nThank you for applying. This time the group is full; we will tell you when the next one opens.\n"


def card_titles(page) -> list[str]:
    return page.locator("li.card h3").all_inner_texts()


@pytest.mark.browser
def test_staff_publish_a_second_programme_and_send_an_edited_decision_email(
    live_server, page, screenshot_dir, transactional_db, settings
):
    settings.DEBUG = True  # seed_demo runs in development only
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
    demo = Programme.objects.get(slug=open_call.SLUG)
    second = ProgrammeFactory(title="Volunteering that lasts", slug="volunteering", is_published=False)
    manager = get_user_model().objects.get(email=open_call.MANAGER_EMAIL)

    # A visitor sees the demo's call alone, as before.
    page.goto(live_server.url + "/")
    before = page.locator("h1").inner_text()

    # The manager finds the new programme among those not published yet, previews it and publishes it.
    sign_in_as(page, live_server.url, manager)
    page.goto(live_server.url + reverse("applications:programmes"))
    page.get_by_role("link", name="Volunteering that lasts").click()
    preview = page.get_by_role("region", name="Preview").inner_text()
    page.screenshot(path=screenshot_dir / "programme-preview.png", full_page=True)
    page.get_by_role("link", name="the programme in the admin").click()
    page.get_by_label("Is published").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/applications/programme/")

    sign_in_as(page, live_server.url, None)
    page.goto(live_server.url + "/")
    home = (page.locator("h1").inner_text(), sorted(card_titles(page)))
    page.screenshot(path=screenshot_dir / "home-two-programmes.png", full_page=True)

    assert before == demo.title
    assert preview.startswith("Preview: this programme is not published yet")
    assert home == ("Open for applications", sorted([demo.title, second.title]))

    # A decline waits as a draft; the manager rewrites it in her own words and sends it.
    applicant = ApplicationFactory(programme=demo, name="Asha Patel", email="asha@example.org")
    application_set_status(application=applicant, status=ApplicationStatus.DECLINED, notify=Notify.DRAFT)
    draft = OutgoingEmail.objects.get(kind=EmailKind.DECISION_DECLINED, to="asha@example.org")
    sign_in_as(page, live_server.url, manager)
    page.goto(live_server.url + reverse("applications:selection_emails", kwargs={"slug": demo.slug}))
    page.get_by_role("link", name="Edit the email to asha@example.org").click()
    page.get_by_label("Subject").fill("About your application")
    page.get_by_label("Text").fill(EDITED)
    page.screenshot(path=screenshot_dir / "draft-edit.png", full_page=True)
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url("**" + reverse("applications:selection_emails", kwargs={"slug": demo.slug}))
    # Only Asha's draft goes now.
    for box in page.get_by_role("checkbox").all():
        if box.get_attribute("value") != str(draft.pk):
            box.uncheck()
    page.get_by_role("button", name="Send the ticked emails").click()
    page.wait_for_url("**" + reverse("applications:selection_emails", kwargs={"slug": demo.slug}))

    draft.refresh_from_db()
    sent = [(m.subject, m.body) for m in mail.outbox if m.to == ["asha@example.org"]]
    assert (draft.status, draft.subject, draft.body_text) == (
        EmailStatus.SENT,
        "About your application",
        EDITED,
    )
    assert sent == [("About your application", EDITED)]
