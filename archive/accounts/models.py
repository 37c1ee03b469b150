from django.contrib.auth.models import AbstractUser
from django.urls import reverse


class User(AbstractUser):
    """The archive's user; custom from the first migration so profiles can grow without pain."""

    def get_absolute_url(self) -> str:
        return reverse("stories:by_author", args=[self.username])
