"""The co-creator workflows: nobody is credited without accepting, and every refusal changes nothing."""

import pytest
from django.conf import settings

from archive.accounts.services import ORPHAN_ACCOUNT
from archive.accounts.tests.factories import UserFactory
from archive.cocreators.models import Invitation
from archive.cocreators.services import (
    CocreatorError,
    accept_invitation,
    decline_invitation,
    invite_cocreator,
    leave_story,
    orphan_story,
    withdraw_invitation,
)
from archive.notifications.models import Kind, Notification
from archive.publishing.account_deletion import Works, delete_account
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(ann):
    return make_story(author=ann, title="The Shared Orchard")


def names(story: Story) -> list[str]:
    return list(story.authors.order_by("username").values_list("username", flat=True))


def invitations_in_inbox(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=Kind.COCREATOR_INVITATION))


def test_an_invitation_reaches_the_invitees_inbox_and_credits_nobody_yet(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")

    assert names(story) == ["ann"]
    [line] = invitations_in_inbox(bea)
    assert line.text == "ann invited you to be a co-creator of “The Shared Orchard”"
    assert line.url == f"/works/{story.pk}/invitation"
    assert line.story_id == story.pk
    assert line.is_unread


def test_an_invitation_is_e_mailed_to_the_invitees_confirmed_address(
    story, ann, bea, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_cocreator(story=story, inviter=ann, username="bea")

    [message] = mailoutbox
    assert message.to == ["bea@example.org"]
    assert message.subject == "ann invited you to co-create “The Shared Orchard” on Open Fic Archive"
    link = f"{settings.ARCHIVE_SITE_URL.rstrip('/')}/works/{story.pk}/invitation"
    assert "ann invited you to be a co-creator of “The Shared Orchard”" in message.body
    assert link in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'<a href="{link}">Accept or decline the invitation</a>' in html


def test_an_invitation_is_not_e_mailed_to_an_unconfirmed_address(
    story, ann, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(username="cat", email_verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        invite_cocreator(story=story, inviter=ann, username="cat")

    assert mailoutbox == []
    assert Invitation.objects.filter(invitee__username="cat").exists(), "the inbox still has it"


def test_a_refused_invitation_e_mails_nobody(story, ann, bea, mailoutbox, django_capture_on_commit_callbacks):
    story.authors.add(bea)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CocreatorError):
        invite_cocreator(story=story, inviter=ann, username="bea")

    assert mailoutbox == []


def test_a_name_is_found_whatever_its_case_and_spaces(story, ann, bea):
    invitation = invite_cocreator(story=story, inviter=ann, username="  BEA ")

    assert invitation.invitee == bea


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("nobody", "There is no user named “nobody”. Check the spelling of their username."),
        (ORPHAN_ACCOUNT, f"There is no user named “{ORPHAN_ACCOUNT}”. Check the spelling of their username."),
        ("ann", "You are already an author of this work."),
    ],
)
def test_an_invitation_that_makes_no_sense_changes_nothing(story, ann, username, message):
    UserFactory(username=ORPHAN_ACCOUNT)

    with pytest.raises(CocreatorError) as error:
        invite_cocreator(story=story, inviter=ann, username=username)

    assert str(error.value) == message
    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(kind=Kind.COCREATOR_INVITATION).exists()


def test_an_inactive_account_cant_be_invited(story, ann):
    UserFactory(username="gone", is_active=False)

    with pytest.raises(CocreatorError, match="no user named “gone”"):
        invite_cocreator(story=story, inviter=ann, username="gone")


def test_inviting_someone_twice_changes_nothing(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")

    with pytest.raises(CocreatorError, match="bea has been invited already and hasn't answered yet."):
        invite_cocreator(story=story, inviter=ann, username="bea")

    assert Invitation.objects.count() == 1
    assert len(invitations_in_inbox(bea)) == 1


def test_inviting_an_author_changes_nothing(story, ann, bea):
    story.authors.add(bea)

    with pytest.raises(CocreatorError, match="bea is already an author of this work."):
        invite_cocreator(story=story, inviter=ann, username="bea")

    assert not Invitation.objects.exists()


def test_accepting_credits_the_invitee_and_clears_the_invitation(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")

    accept_invitation(story=story, user=bea)

    assert names(story) == ["ann", "bea"]
    assert not Invitation.objects.exists()
    assert invitations_in_inbox(bea) == []


def test_accepting_moves_the_works_edited_time_so_its_cards_are_rebuilt(story, ann, bea):
    before = Story.objects.get(pk=story.pk).edited_at
    invite_cocreator(story=story, inviter=ann, username="bea")

    accept_invitation(story=story, user=bea)

    assert Story.objects.get(pk=story.pk).edited_at > before


def test_declining_credits_nobody_and_clears_the_invitation(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")

    decline_invitation(story=story, user=bea)

    assert names(story) == ["ann"]
    assert not Invitation.objects.exists()
    assert invitations_in_inbox(bea) == []


def test_an_answer_to_an_invitation_that_isnt_open_changes_nothing(story, ann, bea):
    with pytest.raises(CocreatorError, match="no longer open"):
        accept_invitation(story=story, user=bea)
    with pytest.raises(CocreatorError, match="no longer open"):
        decline_invitation(story=story, user=bea)

    assert names(story) == ["ann"]


def test_a_withdrawn_invitation_leaves_the_inbox_and_can_no_longer_be_accepted(story, ann, bea):
    invitation = invite_cocreator(story=story, inviter=ann, username="bea")

    withdraw_invitation(invitation=invitation)

    assert invitations_in_inbox(bea) == []
    with pytest.raises(CocreatorError):
        accept_invitation(story=story, user=bea)
    assert names(story) == ["ann"]


def test_someone_declined_can_be_invited_again(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")
    decline_invitation(story=story, user=bea)

    invite_cocreator(story=story, inviter=ann, username="bea")

    assert len(invitations_in_inbox(bea)) == 1


def test_the_invitees_other_notifications_stay(story, ann, bea):
    other = make_story(author=UserFactory(), title="Elsewhere")
    Notification.objects.create(recipient=bea, kind=Kind.NEW_STORY_BY_AUTHOR, story=story, text="New", url="/")
    invite_cocreator(story=story, inviter=ann, username="bea")
    invite_cocreator(story=other, inviter=other.authors.get(), username="bea")

    accept_invitation(story=story, user=bea)

    assert sorted(Notification.objects.filter(recipient=bea).values_list("kind", "story_id")) == sorted(
        [(Kind.NEW_STORY_BY_AUTHOR, story.pk), (Kind.COCREATOR_INVITATION, other.pk)]
    )


def test_a_co_creator_can_leave_a_work_with_other_authors(story, ann, bea):
    story.authors.add(bea)

    leave_story(story=story, user=ann)

    assert names(story) == ["bea"]


def test_the_only_author_cant_leave(story, ann):
    with pytest.raises(CocreatorError, match="only author"):
        leave_story(story=story, user=ann)

    assert names(story) == ["ann"]


def test_someone_who_isnt_an_author_cant_leave(story, bea):
    with pytest.raises(CocreatorError):
        leave_story(story=story, user=bea)

    assert names(story) == ["ann"]


def test_the_only_author_can_orphan_a_posted_work(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")

    orphan_story(story=story, user=ann)

    assert names(story) == [ORPHAN_ACCOUNT]
    assert not Invitation.objects.exists(), "nobody is left to share the work with"
    assert invitations_in_inbox(bea) == []


def test_a_work_with_other_authors_isnt_orphaned(story, ann, bea):
    story.authors.add(bea)

    with pytest.raises(CocreatorError):
        orphan_story(story=story, user=ann)

    assert names(story) == ["ann", "bea"]


def test_a_draft_isnt_orphaned(ann):
    draft = make_story(author=ann, post=False)

    with pytest.raises(CocreatorError, match="draft"):
        orphan_story(story=draft, user=ann)

    assert names(draft) == ["ann"]


def test_an_invitation_outlives_its_inviters_account_and_can_still_be_accepted(story, ann, bea):
    cat = UserFactory(username="cat")
    story.authors.add(cat)
    invite_cocreator(story=story, inviter=ann, username="bea")

    delete_account(user=ann, works=Works.ORPHAN)

    invitation = Invitation.objects.get()
    assert invitation.invited_by is None
    accept_invitation(story=story, user=bea)
    assert names(story) == ["bea", "cat"]


def test_an_invitees_deleted_account_takes_its_invitations_along(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")

    delete_account(user=bea, works=Works.ORPHAN)

    assert not Invitation.objects.exists()
    assert names(story) == ["ann"]
