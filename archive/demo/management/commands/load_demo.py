"""Load the demo archive: original stories written for this project, posted through the services."""

import json
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from archive.bookmarks.services import create_bookmark
from archive.chapters.models import Chapter
from archive.cocreators.services import accept_invitation, invite_cocreator
from archive.comments.models import Comment
from archive.comments.services import post_comment
from archive.core.prose import clean_prose
from archive.hits.services import add_hits
from archive.kudos.services import leave_kudos
from archive.notifications.services import subscribe
from archive.publishing.services import add_chapter, create_story
from archive.series.services import add_work, create_series
from archive.stories.choices import Category, Rating, Warning, to_flags
from archive.stories.models import Story
from archive.tags.models import Tag

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "demo.json"


def _by_label(choices, labels: list[str]) -> int:
    values = {choice.label: choice.value for choice in choices}
    return to_flags(values[label] for label in labels)


class Command(BaseCommand):
    help = "Load the demo archive (stories, chapters, tags, comments, a series and demo accounts)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any story exists already.")

    def handle(self, *args, if_empty: bool = False, **options):
        data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        if if_empty and Story.objects.exists():
            self.stdout.write("The archive already has stories; demo not loaded again.")
        else:
            with transaction.atomic():
                users = self._users(data["users"])
                stories = [self._story(story, users) for story in data["stories"]]
                self._readers(stories, list(users.values()))
                for series in data.get("series", []):
                    self._series(series, users, {story.title: story for story in stories})
            self.stdout.write(self.style.SUCCESS(f"Loaded {len(data['stories'])} demo stories."))
        self.stdout.write("Demo accounts, if you loaded the demo (log in at /users/login):")
        for user in data["users"]:
            if user["password"]:
                self.stdout.write(f"  username {user['username']!r}, password {user['password']!r}")

    def _users(self, rows: list[dict]) -> dict:
        User = get_user_model()
        users = {}
        for row in rows:
            user, created = User.objects.get_or_create(username=row["username"])
            if created:
                if row["password"]:
                    user.set_password(row["password"])
                else:
                    user.set_unusable_password()
                user.save()
            users[row["username"]] = user
        return users

    def _story(self, data: dict, users: dict) -> Story:
        now = timezone.now()
        ratings = {choice.label: choice.value for choice in Rating}
        authors = [users[name] for name in data["authors"]]
        chapters = data["chapters"]
        story = create_story(
            author=authors[0],
            story_fields={
                "title": data["title"],
                "summary": clean_prose(data["summary"]),
                "notes": clean_prose(data["notes"]),
                "end_notes": clean_prose(data["end_notes"]),
                "rating": ratings[data["rating"]],
                "warnings": _by_label(Warning, data["warnings"]),
                "categories": _by_label(Category, data["categories"]),
                "language": data["language"],
                "expected_chapters": data["expected_chapters"],
            },
            tags_by_kind={
                Tag.Kind.FANDOM: data["fandoms"],
                Tag.Kind.CHARACTER: data["characters"],
                Tag.Kind.RELATIONSHIP: data["relationships"],
                Tag.Kind.FREEFORM: data["freeforms"],
            },
            mains_by_kind=_mains(data),
            chapter_fields=self._chapter_fields(chapters[0]),
            post=True,
        )
        # Co-creators as authors make them: invited, and credited once they accept.
        for co_author in authors[1:]:
            invite_cocreator(story=story, inviter=authors[0], username=co_author.username)
            accept_invitation(story=story, user=co_author)
        for name in data.get("invited", []):  # still waiting in their inbox, to answer in the demo
            invite_cocreator(story=story, inviter=authors[0], username=name)
        for chapter in chapters[1:]:
            add_chapter(story=story, fields=self._chapter_fields(chapter), post=True)
        # Spread the demo over the past months, as a real archive would be.
        posted = {}
        for position, chapter in enumerate(chapters, start=1):
            posted[position] = now - timedelta(days=chapter["days_ago"])
            Chapter.objects.filter(story=story, position=position).update(published_at=posted[position])
        Story.objects.filter(pk=story.pk).update(published_at=posted[1], updated_at=max(posted.values()))
        for comment in data["comments"]:
            chapter = Chapter.objects.get(story=story, position=comment["chapter"])
            self._comment(comment, chapter, users, parent=None, at=posted[comment["chapter"]] + timedelta(hours=3))
        return story

    def _readers(self, stories: list[Story], users: list) -> None:
        """What readers did with the demo's works: kudos (from the demo's readers and a few guests),
        public bookmarks, subscriptions and hits, the same on every load. Through the services, so
        the works' counts and their authors' inboxes say so."""
        hits = {}
        for number, story in enumerate(stories):
            authors = set(story.authors.all())
            for index, user in enumerate(users):
                if user in authors:
                    continue
                if (number + index) % 3:
                    leave_kudos(story=story, user=user, ip="")
                if (number + index) % 4 == 1:
                    create_bookmark(user=user, story=story)
                if (number + index) % 5 == 2:
                    subscribe(user=user, story=story)
            guests = 2 + (number * 5) % 9
            for guest in range(guests):
                # Documentation addresses (RFC 5737): no real reader's.
                leave_kudos(story=story, user=AnonymousUser(), ip=f"192.0.2.{guest + 1}")
            hits[story.pk] = 40 + 17 * guests + (number * 29) % 60
        add_hits(hits)

    def _series(self, data: dict, users: dict, stories: dict) -> None:
        """A series of the demo's works, in order, through the services; and its subscribers."""
        series = create_series(
            creator=users[data["creator"]],
            title=data["title"],
            summary=clean_prose(data["summary"]),
            notes=clean_prose(data["notes"]),
        )
        for title in data["works"]:
            add_work(series=series, story=stories[title])
        for name in data["subscribers"]:
            subscribe(user=users[name], series=series)

    def _chapter_fields(self, chapter: dict) -> dict:
        return {
            "title": chapter["title"],
            "notes": clean_prose(chapter["notes"]),
            "end_notes": clean_prose(chapter["end_notes"]),
            "body": clean_prose(chapter["body"]),
        }

    def _comment(self, data: dict, chapter: Chapter, users: dict, parent: Comment | None, at) -> None:
        comment = post_comment(chapter=chapter, user=users[data["user"]], body=data["body"], parent=parent)
        Comment.objects.filter(pk=comment.pk).update(created_at=at)
        for reply in data.get("replies", []):
            self._comment(reply, chapter, users, parent=comment, at=at + timedelta(hours=5))


def _mains(data: dict) -> dict[str, list[str]]:
    """What a demo work is about: its own list where it names one, else as most authors mark it,
    its first relationship and its first character, or two for a work with a relationship."""
    characters, relationships = data["characters"], data["relationships"]
    return {
        Tag.Kind.CHARACTER: data.get("main_characters", characters[: 2 if relationships else 1]),
        Tag.Kind.RELATIONSHIP: data.get("main_relationships", relationships[:1]),
    }
