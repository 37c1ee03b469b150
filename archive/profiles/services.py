from django.db import transaction

from archive.accounts.models import User
from archive.profiles.models import Profile


def profile_of(user: User) -> Profile:
    """The user's profile, or an empty unsaved one if they never wrote it (profiles are created lazily)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)


@transaction.atomic
def save_profile(*, user: User, fields: dict) -> Profile:
    """Write the user's profile, creating it the first time."""
    profile, _ = Profile.objects.update_or_create(user=user, defaults=fields)
    return profile
