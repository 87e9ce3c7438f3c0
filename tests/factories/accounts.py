import factory
from allauth.account.models import EmailAddress

from cohort_site.core.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="en_GB")
    organisation = factory.Sequence(lambda n: f"Organisation {n}")
    password = factory.django.Password(None)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Members' addresses are verified by the click that confirms their place; mirror that by default."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    is_staff = True
    password = factory.django.Password("staff-password-for-tests")
