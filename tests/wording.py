"""Helpers for the tests of a programme's own wording of its emails (issue 20): a wording saved, the admin's
refusal of one, and its preview as the admin shows it."""

from django.urls import reverse

from applications.models import EmailWording
from tests.factories import StaffFactory


def word(programme, kind, subject: str, body: str) -> EmailWording:
    return EmailWording.objects.create(programme=programme, kind=kind, subject=subject, body=body)


def as_manager(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def wording_refused(client, programme, kind, *, subject: str, body: str) -> dict:
    """The admin form's errors for this wording, which it does not save (the text typed kept in the form)."""
    response = as_manager(client).post(
        reverse("admin:applications_emailwording_add"),
        {"programme": programme.pk, "kind": kind, "subject": subject, "body": body},
    )
    assert (response.status_code, EmailWording.objects.count()) == (200, 0)
    assert f"{body}</textarea>" in response.content.decode()
    return response.context["adminform"].form.errors


def wording_preview(client, wording: EmailWording) -> str:
    """The preview on the wording's admin page, as HTML: from "As … would receive it" to the end of the text."""
    page = as_manager(client).get(reverse("admin:applications_emailwording_change", args=[wording.pk]))
    html = page.content.decode()
    start = html.index('<div class="readonly"><p>As ') + len('<div class="readonly">')
    return html[start : html.index("</pre>", start) + len("</pre>")]
