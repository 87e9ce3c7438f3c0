import factory
from django.utils import timezone

from learning.enums import EntryKind, Visibility
from learning.models import Authorship, Entry, ReadingItem, SessionFeedback, Topic

from .applications import CohortFactory, ProgrammeFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class EntryFactory(factory.django.DjangoModelFactory):
    """An entry of a cohort. `visibility` is set directly (tests of sharing go through the services);
    pass `authors=[user, ...]` to name authors (each with consent to `consent` when given)."""

    class Meta:
        model = Entry
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    programme = factory.LazyAttribute(lambda o: o.cohort.programme)
    kind = EntryKind.STORY
    title = factory.Sequence(lambda n: f"What we learned, part {n}")
    body = "We started **small** and kept going."
    visibility = Visibility.GROUP
    published_at = factory.LazyFunction(timezone.now)
    made_public_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.visibility == Visibility.PUBLIC else None
    )

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        consent = kwargs.get("consent", "")
        for user in extracted:
            Authorship.objects.create(
                entry=self,
                user=user,
                consent_audience=consent,
                consented_at=timezone.now() if consent else None,
            )


class ReadingItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReadingItem

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"A good read {n}")
    url = factory.Sequence(lambda n: f"https://example.org/read/{n}")


class SessionFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionFeedback

    session = factory.SubFactory("tests.factories.sessions.SessionFactory")
    member = factory.SubFactory(
        "tests.factories.applications.MemberFactory", cohort=factory.SelfAttribute("..session.cohort")
    )
    rating = 4
