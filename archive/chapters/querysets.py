from django.apps import apps
from django.db import models


class ChapterQuerySet(models.QuerySet):
    def posted(self):
        return self.filter(published_at__isnull=False)

    def drafts(self):
        return self.filter(published_at__isnull=True)

    def with_comments_shown(self):
        """Each chapter's `has_comments`: whether any approved comment (deleted or not) is on it,
        which is all a reader without comments awaiting approval can see of its threads."""
        comments = apps.get_model("comments", "Comment").objects.approved()  # an app above this one
        return self.annotate(has_comments=models.Exists(comments.filter(chapter=models.OuterRef("pk"))))

    def readable_in(self, story, user):
        """A story's chapters this reader may open: posted ones; all of them for its authors."""
        chapters = self.filter(story=story).order_by("position")
        return chapters if story.is_written_by(user) else chapters.posted()

    def numbered_for(self, story, user) -> list:
        """`readable_in` as a list, each chapter numbered and dated as this reader sees them."""
        return numbered(story, list(self.readable_in(story, user)))


def numbered(story, chapters: list) -> list:
    """A story's chapters as a reader sees them (`readable_in`, in order), numbered and dated."""
    for number, chapter in enumerate(chapters, start=1):
        chapter.number = number
    posted = [chapter for chapter in chapters if chapter.published_at]
    if story.backdate and posted:
        # A backdated work's first chapter was published on the day its author set, as AO3 dates
        # it; the chapters posted after it keep the days they were posted.
        min(posted, key=lambda chapter: chapter.published_at).shown_published_at = story.published_at
    return chapters
