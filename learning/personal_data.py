from django.db.models import Q

from applications.personal_data import applications_of_subject
from cohort_site.core.data_subjects import DataSubject, personal_data_source, rows

from .models import (
    AdviceContact,
    Authorship,
    Entry,
    ReadingTick,
    SessionFeedback,
    SharingEvent,
    SurveyAnswer,
    SurveyResponse,
)


@personal_data_source("learning")
class LearningData:
    def export(self, subject: DataSubject) -> dict[str, list[dict]]:
        members = applications_of_subject(subject)
        data = {
            "session_feedback": rows(
                SessionFeedback.objects.filter(member__in=members),
                ["session__number", "rating", "what_worked", "what_to_change", "submitted_at"],
            ),
            "survey_responses": rows(
                SurveyResponse.objects.filter(member__in=members),
                ["survey__title", "may_quote", "submitted_at", "updated_at"],
            ),
            "survey_answers": rows(
                SurveyAnswer.objects.filter(response__member__in=members),
                ["response__survey__title", "question__text", "rating", "text"],
            ),
            "people_you_would_ask_for_advice": rows(
                AdviceContact.objects.filter(response__member__in=members),
                ["response__survey__title", "contact__name"],
            ),
        }
        if subject.user is not None:
            data["entries_you_wrote"] = rows(
                Entry.objects.filter(authors=subject.user),
                ["pk", "kind", "title", "body", "link", "visibility"],
            )
            data["your_authorship_and_consent"] = rows(
                Authorship.objects.filter(user=subject.user).order_by("added_at", "pk"),
                ["entry_id", "entry__title", "consent_audience", "consented_at", "added_at"],
            )
            data["sharing_steps_you_took"] = rows(
                SharingEvent.objects.filter(user=subject.user).order_by("at", "pk"),
                ["entry_id", "entry__title", "action", "audience", "at"],
            )
            data["reading_list_ticks"] = rows(ReadingTick.objects.filter(user=subject.user), ["item__title"])
        return data

    def erase(self, subject: DataSubject) -> None:
        members = applications_of_subject(subject)
        # Ratings stay for the programme's averages; the words go.
        SessionFeedback.objects.filter(member__in=members).update(what_worked="", what_to_change="")
        SurveyAnswer.objects.filter(response__member__in=members).update(text="")
        # Whom they would ask for advice, and others' ticks of them: nothing is left to link them to anyone.
        AdviceContact.objects.filter(Q(response__member__in=members) | Q(contact__in=members)).delete()
        if subject.user is None:
            return
        # Entries written with others keep the co-authors' work; entries the person wrote alone go.
        for entry in Entry.objects.filter(authors=subject.user).distinct():
            if entry.authorships.exclude(user=subject.user).exists():
                Authorship.objects.filter(entry=entry, user=subject.user).delete()
            else:
                entry.delete()
        # The sharing record of co-written entries keeps its steps; they point at the anonymised account.
        ReadingTick.objects.filter(user=subject.user).delete()


# Sharing events and the network digest: their own source, registered as this module is imported.
from .network import personal_data as network_personal_data  # noqa: E402, F401
