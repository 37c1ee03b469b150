from functools import lru_cache

from django.contrib.auth.models import AbstractUser
from django.urls import reverse


class User(AbstractUser):
    """The archive's user; custom from the first migration so profiles can grow without pain."""

    def get_absolute_url(self) -> str:
        return author_url(self.username)


@lru_cache(maxsize=50_000)
def author_url(username: str) -> str:
    """An author's works page; every card links its authors, so reversing is cached per name."""
    return reverse("stories:by_author", args=[username])
