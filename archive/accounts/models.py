from functools import lru_cache

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper

from archive.core.reversing import url_with

USERNAME_RULE = "Use 3 to 40 letters (A–Z), digits and underscores, beginning and ending with a letter or digit."
TAKEN = "That username is taken."

# The Archive of Our Own's rule. ASCII only, so no name can pass for another (a Cyrillic "а" in
# "аlice" beside "alice"), and every name is the same in a URL, a feed and an e-mail.
validate_username = RegexValidator(r"\A[A-Za-z0-9][A-Za-z0-9_]{1,38}[A-Za-z0-9]\Z", USERNAME_RULE)


class ArchiveUserManager(UserManager):
    def get_by_natural_key(self, username):
        """The account a name means, in any case ("alice" finds "Alice": names are one account in
        any case), as log-in looks it up; the exact name decides between two accounts whose names
        were taken in two cases before that rule."""
        named = list(self.filter(username__iexact=username)) if username else []
        exact = next((user for user in named if user.username == username), None)
        if exact is None and len(named) != 1:
            raise self.model.DoesNotExist(f"No account is named {username!r}.")
        return exact or named[0]


class User(AbstractUser):
    """The archive's user; custom from the first migration so profiles can grow without pain."""

    # Still 150 long in the table: names taken before the rule keep working (see clean_fields).
    username = models.CharField(
        "username",
        max_length=150,
        unique=True,
        help_text=USERNAME_RULE,
        validators=[validate_username],
        error_messages={"unique": TAKEN},
    )
    # Set when a link mailed to `email` is followed (archive/accounts/services.py); nothing but
    # that link is ever mailed to an address that isn't verified.
    email_verified = models.BooleanField("e-mail address confirmed", default=False, db_default=False)
    # Saved exclusions (archive/discovery/exclusions.py): on the account row, which every request
    # of a logged-in reader loads anyway, so applying them to a list costs no query.
    # Defaults in the database too: the archive generator COPYs users in without these columns.
    excluded_tag_ids = models.JSONField(
        default=list,
        db_default=models.Value([], models.JSONField()),
        blank=True,
        help_text="Excluded tags.",
    )
    rating_cap = models.CharField(max_length=20, blank=True, default="", db_default="")
    excluded_warnings = models.PositiveSmallIntegerField(default=0, db_default=0)
    exclude_crossovers = models.BooleanField(default=False, db_default=False)
    muted_ids = models.JSONField(
        default=list, db_default=models.Value([], models.JSONField()), blank=True, help_text="Ids of users muted."
    )
    # Off: reading records nothing in archive/history (the reader's own switch on their history page).
    keeps_history = models.BooleanField("keep a reading history", default=True, db_default=True)

    objects = ArchiveUserManager()

    class Meta(AbstractUser.Meta):
        # Log-in, sign-up and password reset find a name in any case: UPPER(username) = UPPER(%s).
        indexes = [models.Index(Upper("username"), name="user_username_any_case")]

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._stored_username = user.__dict__.get("username")
        return user

    def get_session_auth_hash(self) -> str:
        # A user loaded from the cache (kept.py) comes without its password, with this hash.
        kept = self.__dict__.get("kept_session_auth_hash")
        if kept is not None and "password" not in self.__dict__:
            return kept
        return super().get_session_auth_hash()

    def _username_changed(self) -> bool:
        return self._state.adding or self.username != getattr(self, "_stored_username", None)

    def clean_fields(self, exclude=None) -> None:
        # A name taken before the rule (or before names were unique in any case) is the account's
        # until it is changed: staff can still edit the account, and nobody is renamed for them.
        if not self._username_changed():
            exclude = {*(exclude or ()), "username"}
        super().clean_fields(exclude)

    def validate_unique(self, exclude=None) -> None:
        super().validate_unique(exclude)
        if (exclude and "username" in exclude) or not self._username_changed():
            return
        # One account per name in any case: "Alice" is "alice" to a reader.
        if User.objects.filter(username__iexact=self.username).exclude(pk=self.pk).exists():
            raise ValidationError({"username": TAKEN})

    def get_absolute_url(self) -> str:
        return author_url(self.username)


@lru_cache(maxsize=50_000)
def author_url(username: str) -> str:
    """An author's works page; every card links its authors, so each is kept per name."""
    return url_with("stories:by_author", username)
