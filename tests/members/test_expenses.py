import csv
import errno
import io
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cohort_site.members.enums import ExpenseStatus
from cohort_site.members.models import Expense
from tests.factories import MemberFactory, StaffFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


@pytest.fixture
def member(db):
    return MemberFactory().user


def claim(client, *, content=PDF, name="receipt.pdf", token=None, **overrides):
    data = {
        "category": "travel",
        "amount": "12.50",
        "spent_on": "2026-11-20",
        "description": "Train to the session",
        "receipt": SimpleUploadedFile(name, content),
        "submission_token": str(token or uuid.uuid4()),
    } | overrides
    return client.post(reverse("members:expenses"), data)


def test_member_claims_expense_and_is_emailed(client, member, django_capture_on_commit_callbacks):
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = claim(client)

    assert response.status_code == 302
    expense = Expense.objects.get()
    assert (expense.claimant, expense.amount, expense.status, expense.receipt_mimetype) == (
        member,
        Decimal("12.50"),
        ExpenseStatus.SUBMITTED,
        "application/pdf",
    )
    assert expense.receipt.name.endswith(".pdf") and "receipt.pdf" not in expense.receipt.name
    assert [(m.to, m.subject) for m in mail.outbox] == [([member.email], "We have your expense claim")]


def test_double_submit_stores_one_claim(client, member):
    client.force_login(member)
    token = uuid.uuid4()

    claim(client, token=token)
    response = claim(client, token=token)

    assert Expense.objects.count() == 1
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Your claim for £12.50 is sent; we'll email you the decision.",
        "We already have this claim; it was not sent twice.",
    ]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"just some text", "receipt.txt", "This file is not a PDF, JPEG or PNG."),
        (EXE, "receipt.pdf", "This file is not a PDF, JPEG or PNG."),
        (PDF + b"0" * (5 * 1024 * 1024), "big.pdf", "The receipt is 5.1 MB; the most we accept is 5 MB."),
    ],
    ids=["wrong-type", "renamed-executable", "oversize"],
)
def test_bad_receipt_gets_clear_error_and_nothing_is_stored(
    client, member, media_root, content, name, message
):
    client.force_login(member)

    response = claim(client, content=content, name=name, description="Keep what I typed")

    assert response.status_code == 200
    errors = response.context["form"].errors["receipt"]
    assert len(errors) == 1 and errors[0].startswith(message)
    assert response.context["form"]["description"].value() == "Keep what I typed"
    assert Expense.objects.count() == 0
    assert [path for path in media_root.rglob("*") if path.is_file()] == []


def test_png_receipt_is_accepted(client, member):
    client.force_login(member)

    claim(client, content=PNG, name="photo.PNG")

    assert Expense.objects.get().receipt_mimetype == "image/png"


def test_receipt_is_served_to_claimant_and_staff_only(client, member):
    client.force_login(member)
    claim(client)
    expense = Expense.objects.get()
    url = reverse("members:expense_receipt", args=[expense.pk])

    own = client.get(url)
    client.force_login(MemberFactory().user)
    other_member = client.get(url)
    client.force_login(StaffFactory())
    staff = client.get(url)
    client.logout()
    signed_out = client.get(url)

    assert (own.status_code, other_member.status_code, staff.status_code) == (200, 404, 200)
    assert b"".join(own.streaming_content) == PDF
    assert own["Content-Type"] == "application/pdf"
    assert own["Content-Disposition"] == f'attachment; filename="receipt-{expense.pk}.pdf"'
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith(reverse("account_login"))


def test_non_member_cannot_claim(client, db):
    client.force_login(UserFactory())

    assert client.get(reverse("members:expenses")).status_code == 404


def test_manager_approves_then_pays_and_member_is_emailed_each_step(
    client, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    claim(client)
    expense = Expense.objects.get()
    client.force_login(StaffFactory())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:expense_decide", args=[expense.pk]), {"status": "approved"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:expense_decide", args=[expense.pk]), {"status": "paid"})

    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.PAID
    assert [m.subject for m in mail.outbox] == [
        "Your expense claim is approved",
        "Your expense claim has been paid",
    ]


def test_rejecting_needs_a_reason(client, member):
    client.force_login(member)
    claim(client)
    client.get(reverse("members:expenses"))  # shows (and so clears) the member's own confirmation
    expense = Expense.objects.get()
    client.force_login(StaffFactory())

    response = client.post(
        reverse("members:expense_decide", args=[expense.pk]), {"status": "rejected"}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Say why the claim is rejected; the member will read it."
    ]
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.SUBMITTED


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/staff/expenses/?status=approved", "/staff/expenses/?status=approved"),
        ("https://evil.example/phish", "/staff/expenses/"),
        ("//evil.example/phish", "/staff/expenses/"),
    ],
)
def test_decision_returns_to_next_only_on_this_site(client, member, next_url, lands_on):
    client.force_login(member)
    claim(client)
    expense = Expense.objects.get()
    client.force_login(StaffFactory())

    response = client.post(
        reverse("members:expense_decide", args=[expense.pk]), {"status": "approved", "next": next_url}
    )

    assert (response.status_code, response["Location"]) == (302, lands_on)


def test_staff_pages_are_404_for_members(client, member):
    client.force_login(member)

    assert client.get(reverse("members:expense_review")).status_code == 404
    assert client.get(reverse("members:expense_csv")).status_code == 404


def test_csv_export_neutralises_formulas(client, member):
    client.force_login(member)
    claim(client, description='=HYPERLINK("http://evil.example")')
    client.force_login(StaffFactory())

    response = client.get(reverse("members:expense_csv"))

    assert response.content.startswith("\ufeff".encode())  # core's csv_response, so Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][5:8] == ["amount_gbp", "date", "description"]
    assert rows[1][5:8] == ["12.50", "2026-11-20", '\'=HYPERLINK("http://evil.example")']


@pytest.mark.parametrize("count", [1, 3])
def test_review_list_runs_constant_queries(client, db, count, django_assert_num_queries):
    for _ in range(count):
        user = MemberFactory().user
        client.force_login(user)
        claim(client)
    client.force_login(StaffFactory())
    programme = Expense.objects.select_related("programme").first().programme

    # 5, and the programmes to choose from (issue 20); the same with one chosen
    with django_assert_num_queries(6):
        response = client.get(reverse("members:expense_review"))
    with django_assert_num_queries(6):
        filtered = client.get(reverse("members:expense_review") + f"?programme={programme.slug}")

    assert len(response.context["expenses"]) == count
    assert [e.programme for e in filtered.context["expenses"]] == [programme]


class FullDisk:
    """A file on a disk with room for `room` bytes: writing more fails as a full disk does (ENOSPC)."""

    def __init__(self, handle, room: int):
        self.handle, self.room = handle, room

    def write(self, data):
        if len(data) > self.room:
            self.handle.write(data[: self.room])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.handle.write(data)

    def close(self):
        self.handle.close()


def test_receipt_on_a_full_disk_says_try_again_and_leaves_no_file(client, member, media_root, monkeypatch):
    import django.core.files.storage.filesystem as filesystem

    real_fdopen = filesystem.os.fdopen
    monkeypatch.setattr(filesystem.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode), room=10))
    client.force_login(member)

    response = claim(client, description="Keep what I typed")

    assert response.status_code == 200
    assert response.context["form"].errors["receipt"] == [
        "We could not save your receipt. Nothing was sent: please try again in a few minutes."
    ]
    assert response.context["form"]["description"].value() == "Keep what I typed"
    assert (Expense.objects.count(), len(mail.outbox)) == (0, 0)
    assert [path for path in media_root.rglob("*") if path.is_file()] == []
