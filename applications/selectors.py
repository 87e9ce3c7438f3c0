from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from .enums import ApplicationStatus
from .models import Application, Cohort, DropIn, ExpressionOfInterest, MemberOrganisation, Programme


def programmes_published() -> QuerySet[Programme]:
    return Programme.objects.filter(is_published=True)


def programme_current() -> Programme | None:
    """The programme the home page shows: the published one whose deadline is soonest ahead, else the latest."""
    published = programmes_published()
    upcoming = published.filter(applications_close_at__gt=timezone.now()).order_by("applications_close_at")
    return upcoming.first() or published.order_by("-applications_close_at").first()


def cohort_members(cohort: Cohort) -> QuerySet[Application]:
    """The confirmed members of a cohort, as their applications (which carry organisation and availability)."""
    return (
        Application.objects.filter(cohort=cohort, status=ApplicationStatus.CONFIRMED)
        .select_related("user")
        .order_by("name", "pk")
    )


# --- Recruitment ----------------------------------------------------------------------------------


def drop_ins_upcoming(programme: Programme, *, now=None) -> QuerySet[DropIn]:
    """The programme's drop-ins that have not finished yet, soonest first."""
    return programme.drop_ins.filter(ends_at__gt=now or timezone.now()).order_by("starts_at")


def _application_with_same_email():
    return Application.objects.filter(programme=OuterRef("programme"), email__iexact=OuterRef("email"))


def interests_with_applied(queryset: QuerySet[ExpressionOfInterest] | None = None):
    """Expressions of interest, each with `applied`: whether the same address has applied to the programme."""
    queryset = queryset if queryset is not None else ExpressionOfInterest.objects.all()
    return queryset.annotate(applied=Exists(_application_with_same_email()))


def interests_not_applied(programme: Programme) -> QuerySet[ExpressionOfInterest]:
    return programme.interests.exclude(Exists(_application_with_same_email()))


def member_organisation_names() -> list[str]:
    return list(MemberOrganisation.objects.order_by("name").values_list("name", flat=True))


def application_answers(application: Application) -> list[tuple[str, str]]:
    """Every answer as (question, answer) in the form's order: the summary in emails and on the private page."""

    def yes_no(value: bool) -> str:
        return "Yes" if value else "No"

    rows = [
        ("Name", application.name),
        ("Email", application.email),
        ("Organisation", application.organisation),
        ("Your role", application.role),
        ("Front line or designing front-line work", application.get_role_type_display()),
        ("What your organisation did during the pandemic", application.pandemic_work),
        ("Learning you or your organisation gained", application.learning_gained),
        ("Why you want to take part", application.motivation),
        ("What you hope to achieve", application.hopes),
        ("A challenge or question to bring", application.challenge or "(none yet)"),
        ("Share my challenge with my coffee partners", yes_no(application.share_challenge_with_partners)),
    ]
    rows += [
        (f"Available {answer.candidate_time.label}", answer.get_answer_display())
        for answer in application.availability.select_related("candidate_time__programme").order_by(
            "candidate_time__weekday", "candidate_time__start_time"
        )
    ]
    rows += [
        ("My organisation supports me to attend", yes_no(application.organisation_support)),
        ("My wider team is open to new ideas", yes_no(application.team_open_to_ideas)),
        ("Openness, honesty, no judgement, playfulness", yes_no(application.commits_to_openness)),
        ("Sharing feedback and learning as we go", yes_no(application.commits_to_sharing)),
        ("Accessibility needs", application.accessibility_needs or "(none given)"),
    ]
    return rows
