"""An application (or an expression of interest) and its confirmation email are one: a database fault between
the two writes keeps neither, the page says to send again, and sending again stores both, once.

The faults are real: the email table is made unreachable for a moment, and on PostgreSQL a trigger on the email
insert kills the connection between the two statements."""

import pytest
from django.db import OperationalError, connection, transaction
from django.urls import reverse

from applications.models import Application, Availability, ExpressionOfInterest
from applications.services import APPLICANT_FIELDS, application_submit
from cohort_site.mail.models import OutgoingEmail

from .conftest import apply_data
from .test_apply import apply_url
from .test_interest import interest_data

NOT_STORED = "We could not save this just now, so nothing was sent or kept."


class EmailTableAway:
    """The email table unreachable (renamed) inside the test's transaction, as a failing disk or a dropped
    relation would leave it: the insert raises a DatabaseError."""

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE mail_outgoingemail RENAME TO mail_outgoingemail_away")

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE mail_outgoingemail_away RENAME TO mail_outgoingemail")


def test_application_is_not_stored_without_its_email_and_a_retry_stores_both_once(
    client, programme, during_applications, django_capture_on_commit_callbacks
):
    data = apply_data(programme)

    with EmailTableAway():
        response = client.post(apply_url(programme), data)

    assert response.status_code == 503
    assert NOT_STORED in response.content.decode()
    assert response.context["form"]["hopes"].value() == data["hopes"]  # nothing the person typed is lost
    assert (Application.objects.count(), Availability.objects.count(), OutgoingEmail.objects.count()) == (
        0,
        0,
        0,
    )

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(apply_url(programme), data)  # the same form, the same submission token
        twice = client.post(apply_url(programme), data)

    assert (again.status_code, twice.status_code) == (302, 302)
    assert Application.objects.count() == 1
    assert list(OutgoingEmail.objects.values_list("kind", "to")) == [
        ("application-received", "asha@example.org")
    ]


def submission(programme) -> dict:
    """What the form hands application_submit for apply_data's answers."""
    data = apply_data(programme)
    answers = {field: data.get(field, "") for field in APPLICANT_FIELDS}
    for flag in ("organisation_support", "team_open_to_ideas", "commits_to_openness", "commits_to_sharing"):
        answers[flag] = True
    answers["share_challenge_with_partners"] = False
    return {
        "programme": programme,
        "email": "asha@example.org",
        "answers": answers,
        "availability": {t.pk: "yes" for t in programme.candidate_times.all()},
        "submission_token": data["submission_token"],
    }


def test_a_retry_of_a_stored_application_queues_its_missing_confirmation(programme, during_applications):
    first = application_submit(**submission(programme))
    OutgoingEmail.objects.all().delete()  # as if the confirmation had been lost before this change

    again = application_submit(**submission(programme))

    assert (first.created, again.created, again.application) == (True, False, first.application)
    assert list(OutgoingEmail.objects.values_list("kind", flat=True)) == ["application-received"]


def test_interest_is_not_stored_without_its_email(client, programme, during_applications):
    url = reverse("applications:interest", kwargs={"slug": programme.slug})
    data = interest_data()

    with EmailTableAway():
        response = client.post(url, data)

    assert response.status_code == 503
    assert NOT_STORED in response.content.decode()
    assert (ExpressionOfInterest.objects.count(), OutgoingEmail.objects.count()) == (0, 0)
    assert client.post(url, data).status_code == 302
    assert ExpressionOfInterest.objects.count() == 1
    assert OutgoingEmail.objects.count() == 1


KILL_ON_EMAIL_INSERT = """
CREATE FUNCTION test_kill_own_connection() RETURNS trigger AS $$
BEGIN
    PERFORM pg_terminate_backend(pg_backend_pid());
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER test_kill_own_connection BEFORE INSERT ON mail_outgoingemail
    FOR EACH ROW EXECUTE FUNCTION test_kill_own_connection();
"""
UNKILL = """
DROP TRIGGER IF EXISTS test_kill_own_connection ON mail_outgoingemail;
DROP FUNCTION IF EXISTS test_kill_own_connection();
"""


@pytest.mark.postgres
def test_connection_killed_between_the_application_and_its_email_keeps_neither(
    programme, during_applications, transactional_db
):
    submit = submission(programme)
    with connection.cursor() as cursor:
        cursor.execute(KILL_ON_EMAIL_INSERT)
    try:
        with pytest.raises(OperationalError):
            application_submit(**submit)
    finally:
        connection.close()  # the server ended it; the next query opens a new one
        with connection.cursor() as cursor:
            cursor.execute(UNKILL)

    assert (Application.objects.count(), OutgoingEmail.objects.count()) == (0, 0)
    with transaction.atomic():
        result = application_submit(**submit)
    assert result.created is True
    assert list(OutgoingEmail.objects.values_list("kind", flat=True)) == ["application-received"]
