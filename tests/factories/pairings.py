import factory

from pairings.models import Round

from .applications import CohortFactory


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    cohort = factory.SubFactory(CohortFactory)
    number = factory.Sequence(lambda n: n + 1)
    after_session = factory.SelfAttribute("number")
    before_session = factory.LazyAttribute(lambda o: o.after_session + 1)
    opens_at = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").UTC)
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + __import__("datetime").timedelta(days=7))
