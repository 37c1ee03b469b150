import factory
from django.test import Client

from archive.accounts.models import User

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"writer{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    email_verified = True  # as if the link mailed at sign-up was followed
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


def logged_in(user) -> Client:
    """A test client with this user's session (no log-in form)."""
    client = Client()
    client.force_login(user)
    return client
