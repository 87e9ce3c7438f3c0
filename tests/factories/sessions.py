import datetime
from datetime import timedelta

import factory

from sessions_app.enums import AttendanceStatus, SessionKind
from sessions_app.models import Attendance, CohortSchedule, Guest, Session

from .applications import CohortFactory, MemberFactory


class SessionFactory(factory.django.DjangoModelFactory):
    """Session n of a cohort, weekly on the Tuesday of its week at 14:00 in the programme's zone."""

    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = SessionKind.SESSION
    starts_at = factory.LazyAttribute(
        lambda o: datetime.datetime.combine(
            o.cohort.first_session_week + timedelta(weeks=o.number - 1, days=1),
            datetime.time(14, 0),
            tzinfo=o.cohort.programme.tz,
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + o.cohort.programme.session_length)
    join_url = "https://meet.example.org/cohort-session"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    member = factory.SubFactory(MemberFactory, cohort=factory.SelfAttribute("..session.cohort"))
    status = AttendanceStatus.ATTENDED


class GuestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guest

    session = factory.SubFactory(SessionFactory)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"guest{n}@example.org")
    topic = "Setting the scene"


class CohortScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CohortSchedule

    cohort = factory.SubFactory(CohortFactory)
    weekday = 1
    start_time = datetime.time(14, 0)
