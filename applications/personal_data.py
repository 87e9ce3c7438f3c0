from cohort_site.core.data_subjects import (
    ERASED_NAME,
    DataSubject,
    erased_email,
    personal_data_source,
    rows,
)

from .models import Application, ApplicationStatusChange, ExpressionOfInterest, QuestionAnswer

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

    def quoted(self, subject: DataSubject) -> set[str]:
        # The challenge is copied into coffee partners' introductions when the person chose to share it.
        return set(applications_of_subject(subject).values_list("challenge", flat=True))

    def names(self, subject: DataSubject) -> set[str]:
        interests = ExpressionOfInterest.objects.filter(email__iexact=subject.email)
        return {
            *applications_of_subject(subject).values_list("name", flat=True),
            *applications_of_subject(subject).values_list("email", flat=True),
            *interests.values_list("name", flat=True),
        }

    def admin_records(self, subject: DataSubject) -> list[tuple[type, list[int]]]:
        # Read by the admin history source, which is erased before this source erases the addresses used here.
        interests = ExpressionOfInterest.objects.filter(email__iexact=subject.email)
        return [
            (Application, list(applications_of_subject(subject).values_list("pk", flat=True))),
            (ExpressionOfInterest, list(interests.values_list("pk", flat=True))),
        ]

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
                    "region",
                    "share_challenge_with_partners",
                    "organisation_support",
                    "team_open_to_ideas",
                    "submitted_at",
                    # The manager's notes and score are about the person too: the right of access covers them.
                    "score",
                    "composer_mark",
                    *APPLICATION_FREE_TEXT,
                ],
            ),
            "availability": rows(
                applications.model.availability.rel.related_model.objects.filter(
                    application__in=applications
                ),
                ["application_id", "candidate_time__weekday", "candidate_time__start_time", "answer"],
            ),
            "answers_to_programme_questions": rows(
                QuestionAnswer.objects.filter(application__in=applications).order_by(
                    "application_id", "question__order", "question__pk"
                ),
                ["application_id", "question__label", "text", "answered_at"],
            ),
            "application_status_changes": rows(
                ApplicationStatusChange.objects.filter(application__in=applications).order_by(
                    "changed_at", "pk"
                ),
                ["application_id", "from_status", "to_status", "cohort__name", "changed_at", "note"],
            ),
            "expressions_of_interest": rows(
                ExpressionOfInterest.objects.filter(email__iexact=subject.email).order_by("created_at", "pk"),
                ["programme__title", "name", "email", "organisation", "role", "consented_at", "created_at"],
            ),
        }

    def erase(self, subject: DataSubject) -> None:
        # Status, cohort, role type, region and dates stay, so the programme's counts still add up; the answers to
        # the programme's own questions go (their questions stay, with everyone else's answers).
        QuestionAnswer.objects.filter(application__in=applications_of_subject(subject)).delete()
        for application in applications_of_subject(subject):
            application.name = ERASED_NAME
            application.email = erased_email(application.pk)
            for field in APPLICATION_FREE_TEXT:
                setattr(application, field, "")
            application.save(update_fields=["name", "email", *APPLICATION_FREE_TEXT])
            application.status_changes.update(note="")
        # The row stays (how many people were interested), without anything that says who they were.
        for interest in ExpressionOfInterest.objects.filter(email__iexact=subject.email):
            interest.name = ERASED_NAME
            interest.email = erased_email(interest.pk)
            interest.organisation = interest.role = ""
            interest.save(update_fields=["name", "email", "organisation", "role"])
