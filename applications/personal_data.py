from cohort_site.members.personal_data import (
    ERASED_NAME,
    DataSubject,
    erased_email,
    personal_data_source,
    rows,
)

from .models import Application

APPLICATION_FREE_TEXT = [
    "organisation",
    "role",
    "pandemic_work",
    "motivation",
    "hopes",
    "learning_gained",
    "challenge",
    "accessibility_needs",
    "manager_notes",
]


def applications_of_subject(subject: DataSubject):
    """Every application of the person, by account or by email address."""
    applications = Application.objects.filter(email__iexact=subject.email)
    if subject.user is not None:
        applications = applications | Application.objects.filter(user=subject.user)
    return applications.distinct()


@personal_data_source("applications")
class ApplicationData:
    erase_order = 10  # after the sources that find the person's memberships through these applications

    def export(self, subject: DataSubject) -> dict[str, list[dict]]:
        applications = applications_of_subject(subject).order_by("submitted_at")
        return {
            "applications": rows(
                applications,
                [
                    "pk",
                    "programme__title",
                    "cohort__name",
                    "status",
                    "name",
                    "email",
                    "role_type",
                    "share_challenge_with_partners",
                    "organisation_support",
                    "team_open_to_ideas",
                    "submitted_at",
                    *[field for field in APPLICATION_FREE_TEXT if field != "manager_notes"],
                ],
            ),
            "availability": rows(
                applications.model.availability.rel.related_model.objects.filter(
                    application__in=applications
                ),
                ["application_id", "candidate_time__weekday", "candidate_time__start_time", "answer"],
            ),
        }

    def erase(self, subject: DataSubject) -> None:
        # Status, cohort, role type and dates stay, so the programme's counts still add up.
        for application in applications_of_subject(subject):
            application.name = ERASED_NAME
            application.email = erased_email(application.pk)
            for field in APPLICATION_FREE_TEXT:
                setattr(application, field, "")
            application.save(update_fields=["name", "email", *APPLICATION_FREE_TEXT])
            application.status_changes.update(note="")
