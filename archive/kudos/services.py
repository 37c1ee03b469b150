import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction

from archive.kudos.models import Kudos
from archive.notifications.models import Kind
from archive.notifications.services import add_to_digest, digest_day, refresh_digests
from archive.stories.counts import refresh_story_counts
from archive.stories.models import Story


def guest_hash(*, story_id: int, ip: str) -> str:
    """Who a guest is, per story, without keeping their address."""
    message = f"{story_id}:{ip}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def leave_kudos(*, story: Story, user, ip: str) -> bool:
    """Leave kudos on a story; False if this reader already has, or wrote it."""
    if story.is_written_by(user):
        return False
    if user.is_authenticated:
        fields = {"user": user, "guest_hash": ""}
    else:
        fields = {"user": None, "guest_hash": guest_hash(story_id=story.pk, ip=ip)}
    try:
        # A savepoint, so the unique constraints can refuse a second kudos (even a racing one)
        # without spoiling the caller's transaction.
        with transaction.atomic():
            Kudos.objects.create(story=story, **fields)
    except IntegrityError:
        return False
    refresh_story_counts([story.pk], ["kudos_count"])
    add_to_digest(kind=Kind.KUDOS_ON_YOUR_WORK, story=story, actor_id=user.pk)
    return True


@transaction.atomic
def remove_kudos(*, kudos: Kudos) -> None:
    """Take kudos back (staff, through the admin), recounting the work's kudos and the line of the
    authors' inbox digests that counted them (gone, and no longer unread, if it counted only these)."""
    Kudos.objects.filter(pk=kudos.pk).delete()
    refresh_story_counts([kudos.story_id], ["kudos_count"])
    refresh_digests(kind=Kind.KUDOS_ON_YOUR_WORK, days=[(kudos.story_id, digest_day(kudos.created_at))])
