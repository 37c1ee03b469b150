"""Co-creators: a work's authors invite others by name; nobody is credited without saying yes.

An invitation waits in the invitee's inbox (a notification that asks for an answer) until they
accept or decline it, or an author withdraws it; each of those deletes both. Accepting adds the
invitee to the work's authors, with every power an author has. Any author can leave a work that
has other authors; its only author can orphan it instead (AO3's way: it stays, credited to
`orphan_account`) or delete it.

An invitation is e-mailed too, to a confirmed address only (as every notification is), after
commit; it has no switch in the preferences, as it asks for an answer.

The byline changes on every page that shows the work (its pages, cards, feeds, downloads,
author pages), so accepting, leaving and orphaning move the work's `edited_at` (which a card's
key holds), rebuild its search document (which holds its authors' names) and say so to the
page cache.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from archive.accounts.services import ORPHAN_ACCOUNT, orphan_account
from archive.caching import versions
from archive.cocreators.models import Invitation
from archive.core import emails
from archive.discovery.search_index import refresh_search_index
from archive.notifications.models import Kind, Notification
from archive.stories.models import Story


class CocreatorError(Exception):
    """A request that changes nothing, with the reason to show next to the field or button."""


def _lock(story: Story) -> Story:
    return Story.objects.select_for_update().get(pk=story.pk)


def _authors(story: Story) -> list:
    return list(story.authors.order_by("username"))


def _inbox_line(invitation: Invitation):
    return Notification.objects.filter(
        recipient_id=invitation.invitee_id, story_id=invitation.story_id, kind=Kind.COCREATOR_INVITATION
    )


def _remove_inbox_line(invitation: Invitation) -> None:
    _inbox_line(invitation).delete()
    versions.changed(account_ids=[invitation.invitee_id])  # the invitee's unread count


def _byline_changed(story: Story) -> None:
    """The work's authors changed: every page and card showing its byline, and its search
    document, follow at once."""
    Story.objects.filter(pk=story.pk).update(edited_at=timezone.now())  # a card's key holds it
    refresh_search_index([story.pk])
    versions.changed(story_ids=[story.pk], listings=True)


@transaction.atomic
def invite_cocreator(*, story: Story, inviter, username: str) -> Invitation:
    """Invite the user with this name to co-create the work; it reaches their inbox at once."""
    story = _lock(story)
    name = username.strip()
    invitee = (
        get_user_model().objects.filter(username__iexact=name, is_active=True).exclude(username=ORPHAN_ACCOUNT).first()
    )
    if invitee is None:
        raise CocreatorError(f"There is no user named “{name}”. Check the spelling of their username.")
    if story.authors.filter(pk=invitee.pk).exists():
        if invitee.pk == inviter.pk:
            raise CocreatorError("You are already an author of this work.")
        raise CocreatorError(f"{invitee.username} is already an author of this work.")
    if Invitation.objects.filter(story=story, invitee=invitee).exists():
        raise CocreatorError(f"{invitee.username} has been invited already and hasn't answered yet.")
    invitation = Invitation.objects.create(story=story, invitee=invitee, invited_by=inviter)
    path = reverse("cocreators:invitation", args=[story.pk])
    Notification.objects.create(
        recipient=invitee,
        kind=Kind.COCREATOR_INVITATION,
        story=story,
        text=f"{inviter.username} invited you to be a co-creator of “{story.title[:400]}”",
        url=path,
    )
    _email_invitation(invitee=invitee, inviter=inviter, title=story.title, path=path)
    return invitation


def _email_invitation(*, invitee, inviter, title: str, path: str) -> None:
    # Only to an address its owner confirmed: nobody can have invitations mailed to someone else.
    if not (invitee.email and invitee.email_verified):
        return
    context = {"username": invitee.username, "inviter": inviter.username, "title": title, "path": path}
    # Kept in the outbox with the invitation, sent in the background once it commits.
    emails.send(to=invitee.email, template="cocreators/email/invitation", context=context)


def pending_invitation(*, story: Story, user) -> Invitation | None:
    if not user.is_authenticated:
        return None
    return Invitation.objects.filter(story=story, invitee=user).select_related("invited_by").first()


def _take_invitation(story: Story, user) -> Invitation:
    invitation = Invitation.objects.filter(story=story, invitee=user).first()
    if invitation is None:
        raise CocreatorError("This invitation is no longer open: it was answered or withdrawn.")
    _remove_inbox_line(invitation)
    invitation.delete()
    return invitation


@transaction.atomic
def accept_invitation(*, story: Story, user) -> Story:
    """The invitee says yes: they become one of the work's authors."""
    story = _lock(story)
    _take_invitation(story, user)
    story.authors.add(user)
    _byline_changed(story)
    return story


@transaction.atomic
def decline_invitation(*, story: Story, user) -> None:
    """The invitee says no: nothing else changes, and nobody else is told."""
    _take_invitation(_lock(story), user)


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation) -> None:
    """An author takes back an invitation that hasn't been answered: it leaves the invitee's inbox."""
    _remove_inbox_line(invitation)
    invitation.delete()


@transaction.atomic
def leave_story(*, story: Story, user) -> Story:
    """An author takes their name off a work that has other authors."""
    story = _lock(story)
    authors = _authors(story)
    if user.pk not in {author.pk for author in authors}:
        raise CocreatorError("You aren't an author of this work.")
    if len(authors) == 1:
        raise CocreatorError(
            "You are this work's only author, so it can't lose your name: orphan it or delete it instead."
        )
    story.authors.remove(user)
    _byline_changed(story)
    return story


@transaction.atomic
def orphan_story(*, story: Story, user) -> Story:
    """The only author gives a posted work away: it stays, credited to `orphan_account`, and
    their name is gone from it. Invitations still waiting are withdrawn: nobody is left to
    share the work with them."""
    story = _lock(story)
    authors = _authors(story)
    if [author.pk for author in authors] != [user.pk]:
        raise CocreatorError("Only a work's only author can orphan it; leave it to its other authors instead.")
    if story.is_draft:
        raise CocreatorError("A draft can't be orphaned, as nobody could post it: delete it instead.")
    for invitation in Invitation.objects.filter(story=story):
        withdraw_invitation(invitation=invitation)
    story.authors.remove(user)
    story.authors.add(orphan_account())
    _byline_changed(story)
    return story
