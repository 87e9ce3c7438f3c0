"""Development email: one readable line per message."""

from django.core.mail import EmailMultiAlternatives

from cohort_site.mail.backends import TerminalEmailBackend


def test_one_line_per_email_with_the_code_and_the_first_link(capfd):
    code = EmailMultiAlternatives(
        subject="Your sign-in code for Connection Coalition cohorts",
        body="Hello from Connection Coalition cohorts!\n\nYour sign-in code is listed below.\n\n7KQ2-MXPL\n\n"
        "Thank you for using Connection Coalition cohorts!\n127.0.0.1:8000",
        to=["member@example.org"],
    )
    offer = EmailMultiAlternatives(
        subject="Confirm your place",
        body="Confirm here: http://127.0.0.1:8000/offer/abc/.\nOr later.",
        to=["ada@example.org"],
    )
    offer.attach_alternative("<p>Confirm</p>", "text/html")

    sent = TerminalEmailBackend().send_messages([code, offer])

    assert sent == 2
    assert capfd.readouterr().out.splitlines() == [
        "✉ to member@example.org: Your sign-in code for Connection Coalition cohorts · code 7KQ2-MXPL",
        "✉ to ada@example.org: Confirm your place · http://127.0.0.1:8000/offer/abc/",
    ]
