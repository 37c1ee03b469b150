"""Who hears about a new work, chapter or comment, once, after the commit, as they asked."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from archive.accounts.tests.factories import UserFactory
from archive.comments.services import post_comment
from archive.notifications.models import DIGEST_KINDS, Kind, Notification, Preferences, Subscription
from archive.notifications.services import SubscriptionError, subscribe, unsubscribe
from archive.publishing.services import add_chapter, post_story, update_chapter
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db

CHAPTER = {"title": "The Descent", "notes": "", "end_notes": "", "body": "<p>Down they went.</p>"}


def tag(name: str) -> Tag:
    return Tag.objects.named(name).get()


def inbox(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", "text"))


def recipients(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


@pytest.fixture
def story(author) -> Story:
    return make_story(author=author, title="The Pomegranate Seeds", fandoms=["Greek Mythology"])


# Subscribing


def test_subscribing_twice_to_the_same_work_is_one_subscription(reader, story):
    subscribe(user=reader, story=story)
    subscribe(user=reader, story=story)

    assert Subscription.objects.filter(user=reader, story=story).count() == 1


def test_unsubscribing_removes_the_subscription_and_says_whether_there_was_one(reader, author):
    subscribe(user=reader, author=author)

    assert unsubscribe(user=reader, author=author) is True
    assert unsubscribe(user=reader, author=author) is False
    assert not Subscription.objects.exists()


def test_nobody_subscribes_to_themselves_or_their_own_work(author, story):
    with pytest.raises(SubscriptionError):
        subscribe(user=author, author=author)
    with pytest.raises(SubscriptionError):
        subscribe(user=author, story=story)
    assert not Subscription.objects.exists()


def test_a_draft_takes_no_subscriptions(reader, author):
    draft = make_story(author=author, post=False)

    with pytest.raises(SubscriptionError):
        subscribe(user=reader, story=draft)


def test_a_subscription_to_a_synonym_follows_its_canonical_tag(reader, author):
    make_story(author=author, fandoms=["Hades", "Hades (Greek Mythology)"])
    canonical = tag("Hades (Greek Mythology)")
    Tag.objects.filter(pk=canonical.pk).update(canonical=True)
    Tag.objects.filter(name="Hades").update(merger=canonical)

    subscription = subscribe(user=reader, tag=tag("Hades"))

    assert subscription.tag == canonical


def test_the_database_refuses_a_subscription_with_no_target_or_two(reader, author, story):
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=reader, story=story, author=author)


# New works


def test_posting_a_work_notifies_the_authors_subscribers_by_inbox_and_e_mail_after_the_commit(
    author, reader, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe(user=reader, author=author)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story = make_story(author=author, title="Persephone Returns")
    assert not Notification.objects.exclude(kind__in=DIGEST_KINDS).exists()
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):  # and the e-mail jobs they queue
        for callback in callbacks:
            callback()
    assert inbox(reader) == [(Kind.NEW_STORY_BY_AUTHOR, "author posted a new work: “Persephone Returns”")]
    [email] = mailoutbox
    assert email.to == [reader.email]
    assert "Persephone Returns" in email.subject
    assert f"http://127.0.0.1:8000/works/{story.pk}" in email.body
    assert "http://127.0.0.1:8000/preferences" in email.body


def test_posting_a_work_notifies_the_subscribers_of_its_tags(
    author, reader, mailoutbox, django_capture_on_commit_callbacks
):
    make_story(author=author, characters=["Persephone"])
    subscribe(user=reader, tag=tag("Persephone"))

    with django_capture_on_commit_callbacks(execute=True):
        make_story(author=author, title="Spring", characters=["Persephone"])

    assert inbox(reader) == [(Kind.NEW_STORY_IN_TAG, "New work in Persephone: “Spring” by author")]
    assert recipients(mailoutbox) == [reader.email]


def test_a_reader_following_the_author_and_two_of_the_tags_hears_once(
    author, reader, mailoutbox, django_capture_on_commit_callbacks
):
    make_story(author=author, characters=["Persephone", "Hades"])
    subscribe(user=reader, author=author)
    subscribe(user=reader, tag=tag("Persephone"))
    subscribe(user=reader, tag=tag("Hades"))

    with django_capture_on_commit_callbacks(execute=True):
        make_story(author=author, title="Spring", characters=["Persephone", "Hades"])

    assert [kind for kind, _ in inbox(reader)] == [Kind.NEW_STORY_BY_AUTHOR]
    assert len(mailoutbox) == 1


def test_a_synonyms_works_reach_the_canonical_tags_subscribers(author, reader, django_capture_on_commit_callbacks):
    make_story(author=author, characters=["Persephone", "Kore"])
    Tag.objects.filter(name="Persephone").update(canonical=True)
    Tag.objects.filter(name="Kore").update(merger=tag("Persephone"))
    subscribe(user=reader, tag=tag("Persephone"))

    with django_capture_on_commit_callbacks(execute=True):
        make_story(author=author, title="Kore", characters=["Kore"])

    assert [text for _, text in inbox(reader)] == ["New work in Persephone: “Kore” by author"]


def test_the_authors_never_hear_of_their_own_work(author, django_capture_on_commit_callbacks, mailoutbox):
    co_author = UserFactory(username="coauthor")
    make_story(author=author, characters=["Persephone"])
    subscribe(user=author, tag=tag("Persephone"))
    subscribe(user=co_author, author=author)

    with django_capture_on_commit_callbacks(execute=True):
        story = make_story(author=author, post=False, characters=["Persephone"])
        story.authors.add(co_author)
        post_story(story=story)

    assert not Notification.objects.exclude(kind__in=DIGEST_KINDS).exists()
    assert mailoutbox == []


def test_a_draft_notifies_nobody_until_it_is_posted_and_then_once(
    author, reader, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe(user=reader, author=author)

    with django_capture_on_commit_callbacks(execute=True):
        draft = make_story(author=author, title="Not Yet", post=False, chapters=2)
    assert not Notification.objects.exclude(kind__in=DIGEST_KINDS).exists()

    with django_capture_on_commit_callbacks(execute=True):
        post_story(story=draft)
        post_story(story=draft)
    assert inbox(reader) == [(Kind.NEW_STORY_BY_AUTHOR, "author posted a new work: “Not Yet”")]
    assert len(mailoutbox) == 1


def test_a_rolled_back_post_sends_nothing(author, reader, mailoutbox, django_capture_on_commit_callbacks):
    subscribe(user=reader, author=author)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        make_story(author=author)
        raise RuntimeError("the post fails after the story is saved")

    assert not Notification.objects.exclude(kind__in=DIGEST_KINDS).exists()
    assert mailoutbox == []


def test_a_restricted_work_still_reaches_its_subscribers_who_are_all_registered(
    author, reader, django_capture_on_commit_callbacks
):
    subscribe(user=reader, author=author)

    with django_capture_on_commit_callbacks(execute=True):
        make_story(author=author, title="Members Only", restricted=True)

    assert len(inbox(reader)) == 1


# New chapters


def test_a_new_chapter_of_a_posted_work_notifies_its_subscribers(
    story, reader, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe(user=reader, story=story)

    with django_capture_on_commit_callbacks(execute=True):
        chapter = add_chapter(story=story, fields=CHAPTER, post=True)

    [notification] = Notification.objects.filter(recipient=reader)
    assert notification.kind == Kind.NEW_CHAPTER
    assert notification.text == "New chapter of “The Pomegranate Seeds”: Chapter 2: The Descent"
    assert notification.url == chapter.get_absolute_url()
    assert notification.chapter_id == chapter.pk
    assert recipients(mailoutbox) == [reader.email]
    assert chapter.get_absolute_url() in mailoutbox[0].body


def test_a_draft_chapter_notifies_nobody_until_it_is_posted(
    story, reader, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe(user=reader, story=story)

    with django_capture_on_commit_callbacks(execute=True):
        draft = add_chapter(story=story, fields=CHAPTER, post=False)
        update_chapter(chapter=draft, fields={"title": "Edited, still a draft"})
    assert not Notification.objects.filter(recipient=reader).exists()
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        update_chapter(chapter=draft, fields={}, post=True)
        update_chapter(chapter=draft, fields={"title": "Edited after posting"}, post=True)
    assert [kind for kind, _ in inbox(reader)] == [Kind.NEW_CHAPTER]
    assert len(mailoutbox) == 1


def test_a_chapter_is_numbered_as_readers_count_posted_chapters(story, reader, django_capture_on_commit_callbacks):
    subscribe(user=reader, story=story)
    add_chapter(story=story, fields=CHAPTER, post=False)

    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(story=story, fields={**CHAPTER, "title": ""}, post=True)

    assert inbox(reader) == [(Kind.NEW_CHAPTER, "New chapter of “The Pomegranate Seeds”: Chapter 2")]


def test_chapters_of_a_draft_work_notify_nobody(author, reader, django_capture_on_commit_callbacks):
    draft = make_story(author=author, post=False)
    Subscription.objects.create(user=reader, author=author)

    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(story=draft, fields=CHAPTER, post=True)

    assert not Notification.objects.filter(recipient=reader).exists()


# Preferences


def test_a_kind_turned_off_for_the_inbox_still_e_mails_and_the_other_way_round(
    author, reader, mailoutbox, django_capture_on_commit_callbacks
):
    e_mail_only = UserFactory(username="mailonly")
    Preferences.objects.create(user=reader, email_new_story_by_author=False)
    Preferences.objects.create(user=e_mail_only, inbox_new_story_by_author=False)
    subscribe(user=reader, author=author)
    subscribe(user=e_mail_only, author=author)

    with django_capture_on_commit_callbacks(execute=True):
        make_story(author=author)

    assert len(inbox(reader)) == 1
    assert inbox(e_mail_only) == []
    assert recipients(mailoutbox) == [e_mail_only.email]


def test_with_author_notifications_off_a_reader_still_hears_through_a_tag(
    author, reader, django_capture_on_commit_callbacks
):
    make_story(author=author, characters=["Persephone"])
    Preferences.objects.create(user=reader, inbox_new_story_by_author=False)
    subscribe(user=reader, author=author)
    subscribe(user=reader, tag=tag("Persephone"))

    with django_capture_on_commit_callbacks(execute=True):
        make_story(author=author, title="Spring", characters=["Persephone"])

    assert [kind for kind, _ in inbox(reader)] == [Kind.NEW_STORY_IN_TAG]


def test_a_reader_without_an_e_mail_address_gets_the_inbox_only(author, mailoutbox, django_capture_on_commit_callbacks):
    no_address = UserFactory(username="noaddress", email="")
    subscribe(user=no_address, author=author)

    with django_capture_on_commit_callbacks(execute=True):
        make_story(author=author)

    assert len(inbox(no_address)) == 1
    assert mailoutbox == []


def test_deactivated_readers_hear_nothing(author, reader, mailoutbox, django_capture_on_commit_callbacks):
    subscribe(user=reader, author=author)
    reader.is_active = False
    reader.save()

    with django_capture_on_commit_callbacks(execute=True):
        make_story(author=author)

    assert not Notification.objects.exclude(kind__in=DIGEST_KINDS).exists()
    assert mailoutbox == []


# Comments


def test_a_comment_notifies_the_works_authors_but_not_the_commenter(
    author, reader, story, mailoutbox, django_capture_on_commit_callbacks
):
    chapter = story.chapters.get()

    with django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(chapter=chapter, user=reader, body="I loved the ending.")

    assert inbox(author) == [
        (Kind.COMMENT_ON_YOUR_WORK, "reader commented on “The Pomegranate Seeds”: “I loved the ending.”")
    ]
    assert inbox(reader) == []
    [email] = mailoutbox
    assert email.to == [author.email]
    assert "I loved the ending." in email.body
    assert Notification.objects.get().url == comment.get_absolute_url()


def test_a_reply_notifies_the_replied_to_reader_and_the_author_once_each(
    author, reader, story, mailoutbox, django_capture_on_commit_callbacks
):
    chapter = story.chapters.get()
    third = UserFactory(username="third")
    first = post_comment(chapter=chapter, user=reader, body="First!")

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(chapter=chapter, user=third, body="Agreed.", parent=first)

    assert inbox(reader) == [
        (Kind.REPLY_TO_YOUR_COMMENT, "third replied to your comment on “The Pomegranate Seeds”: “Agreed.”")
    ]
    assert inbox(author) == [(Kind.COMMENT_ON_YOUR_WORK, "third commented on “The Pomegranate Seeds”: “Agreed.”")]
    assert recipients(mailoutbox) == [author.email, reader.email]


def test_a_reply_to_the_authors_own_comment_is_one_reply_notification(
    author, reader, story, django_capture_on_commit_callbacks
):
    chapter = story.chapters.get()
    authors_comment = post_comment(chapter=chapter, user=author, body="Thank you all for reading.")

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(chapter=chapter, user=reader, body="Thank you for writing!", parent=authors_comment)

    assert [kind for kind, _ in inbox(author)] == [Kind.REPLY_TO_YOUR_COMMENT]


def test_an_author_replying_on_their_own_work_notifies_only_the_reader(
    author, reader, story, django_capture_on_commit_callbacks
):
    chapter = story.chapters.get()
    first = post_comment(chapter=chapter, user=reader, body="More please.")

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(chapter=chapter, user=author, body="Soon!", parent=first)

    assert inbox(author) == []
    assert [kind for kind, _ in inbox(reader)] == [Kind.REPLY_TO_YOUR_COMMENT]


def test_comment_notifications_follow_the_preferences(
    author, reader, story, mailoutbox, django_capture_on_commit_callbacks
):
    Preferences.objects.create(user=author, inbox_comment_on_your_work=False, email_comment_on_your_work=False)

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(chapter=story.chapters.get(), user=reader, body="Hello.")

    assert not Notification.objects.exclude(kind__in=DIGEST_KINDS).exists()
    assert mailoutbox == []


def test_a_guests_comment_notifies_the_author_under_the_guests_name(author, django_capture_on_commit_callbacks):
    story = make_story(author=author, title="Open Doors", comment_permission="everyone")

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(chapter=story.chapters.get(), user=AnonymousUser(), body="Lovely.", guest_name="Wanderer")

    assert inbox(author) == [(Kind.COMMENT_ON_YOUR_WORK, "Wanderer commented on “Open Doors”: “Lovely.”")]


# Cost


def _sending_queries(make_subscribers, count: int, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    author = UserFactory()
    make_story(author=author, characters=["Persephone", "Hades"])
    make_subscribers(author, count)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_story(author=author, characters=["Persephone", "Hades"])
    with django_assert_max_num_queries(50) as captured:
        for callback in callbacks:
            callback()
    return len(captured.captured_queries)


def _subscribers(author, count: int) -> None:
    for number in range(count):
        reader = UserFactory()
        subscribe(user=reader, author=author)
        subscribe(user=reader, tag=tag("Hades"))
        if number % 2:
            Preferences.objects.create(user=reader, email_new_story_by_author=False)


def test_notifying_many_subscribers_costs_the_same_queries_as_notifying_one(
    django_assert_max_num_queries, django_capture_on_commit_callbacks, mailoutbox
):
    one = _sending_queries(_subscribers, 1, django_assert_max_num_queries, django_capture_on_commit_callbacks)
    Notification.objects.all().delete()
    many = _sending_queries(_subscribers, 30, django_assert_max_num_queries, django_capture_on_commit_callbacks)

    assert many == one
    # The thirty new subscribers, and the first round's reader, who follows Hades too.
    assert Notification.objects.exclude(kind__in=DIGEST_KINDS).count() == 31
