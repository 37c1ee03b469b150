from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q

MAX_DISPLAY_NAME_LENGTH = 100
MAX_PRONOUNS_LENGTH = 50
MAX_ABOUT_LENGTH = 5_000
WEBSITE_SCHEMES = ["http", "https"]


class Profile(models.Model):
    """What a user tells readers about themselves; created the first time they save it.

    `about` is stored cleaned (archive/core/prose.py), like a summary; the rest is plain text.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True)
    display_name = models.CharField(max_length=MAX_DISPLAY_NAME_LENGTH, blank=True)
    pronouns = models.CharField(max_length=MAX_PRONOUNS_LENGTH, blank=True)
    about = models.TextField("about me", blank=True)
    website = models.URLField(blank=True, validators=[URLValidator(schemes=WEBSITE_SCHEMES)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # The website is a link on a public page: never javascript:, data: or anything but the web.
            models.CheckConstraint(
                condition=Q(website="") | Q(website__startswith="http://") | Q(website__startswith="https://"),
                name="profile_website_is_http",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def is_empty(self) -> bool:
        return not (self.display_name or self.pronouns or self.about or self.website)
