import datetime
from datetime import timedelta

import factory
from django.utils import timezone

from applications.enums import ApplicationStatus, AvailabilityAnswer, RoleType
from applications.models import (
    Application,
    Availability,
    CandidateTime,
    Cohort,
    DropIn,
    ExpressionOfInterest,
    MemberOrganisation,
    Programme,
    ProgrammeSection,
    Question,
)


def _next_monday(weeks_ahead: int) -> datetime.date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A programme whose applications are open now, closing in a week; sessions start in five weeks."""

    class Meta:
        model = Programme

    title = factory.Sequence(lambda n: f"Community of practice {n}")
    slug = factory.Sequence(lambda n: f"community-of-practice-{n}")
    summary = "Six online sessions to share practice."
    who_it_is_for = "Practitioners reducing loneliness."
    what_to_expect = "A space to share experiences."
    time_commitment = "2-3 days over 6 weeks."
    location = "Online."
    contact_name = "Zoë Cumberland"
    contact_email = "zoe@example.org"
    applications_open_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    applications_close_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    confirmation_week = factory.LazyFunction(lambda: _next_monday(2))
    first_session_week = factory.LazyFunction(lambda: _next_monday(5))
    is_published = True


class DropInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DropIn

    programme = factory.SubFactory(ProgrammeFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    join_url = "https://meet.example.org/drop-in"
    host_name = "Zoë Cumberland"


class CandidateTimeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateTime
        django_get_or_create = ("programme", "weekday", "start_time")

    programme = factory.SubFactory(ProgrammeFactory)
    weekday = 1
    start_time = datetime.time(14, 0)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Group {o.number}")
    size = 20
    first_session_week = factory.LazyAttribute(lambda o: o.programme.first_session_week)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    organisation = factory.Sequence(lambda n: f"Organisation {n}")
    role = "Community connector"
    role_type = RoleType.FRONT_LINE
    pandemic_work = "Ran telephone befriending."
    motivation = "To learn from peers."
    hopes = "New ideas for our volunteers."
    learning_gained = "Small groups work best."
    organisation_support = True
    team_open_to_ideas = True


class MemberFactory(ApplicationFactory):
    """A confirmed member of a cohort, with an account. Status is set directly: tests of selection use the service."""

    cohort = factory.SubFactory(CohortFactory)
    programme = factory.LazyAttribute(lambda o: o.cohort.programme)
    status = ApplicationStatus.CONFIRMED
    user = factory.SubFactory(
        "tests.factories.accounts.UserFactory",
        email=factory.SelfAttribute("..email"),
        name=factory.SelfAttribute("..name"),
        organisation=factory.SelfAttribute("..organisation"),
    )


class AvailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Availability

    application = factory.SubFactory(ApplicationFactory)
    candidate_time = factory.SubFactory(
        CandidateTimeFactory, programme=factory.SelfAttribute("..application.programme")
    )
    answer = AvailabilityAnswer.YES


class ExpressionOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpressionOfInterest

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"interested{n}@example.org")
    organisation = factory.Sequence(lambda n: f"Organisation {n}")
    role = "Volunteer coordinator"
    consented_at = factory.LazyFunction(timezone.now)
    created_at = factory.LazyFunction(timezone.now)


class MemberOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberOrganisation

    name = factory.Sequence(lambda n: f"Member Organisation {n}")


class ProgrammeSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeSection

    programme = factory.SubFactory(ProgrammeFactory)
    key = "gains"
    heading = "What will you gain?"
    body = "- Connections with other practitioners."


class QuestionFactory(factory.django.DjangoModelFactory):
    """One of a programme's own application questions: short text unless told, asked after the built-in ones."""

    class Meta:
        model = Question

    programme = factory.SubFactory(ProgrammeFactory)
    label = factory.Sequence(lambda n: f"Question {n}")
    order = factory.Sequence(lambda n: n)
