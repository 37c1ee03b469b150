from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery


def _posted_chapters():
    from archive.chapters.models import Chapter

    return Chapter.objects.posted().filter(story=OuterRef("story")).order_by()


def _count(queryset) -> Subquery:
    return Subquery(
        queryset.values("story").annotate(total=Count("pk")).values("total"), output_field=models.IntegerField()
    )


class ReadingQuerySet(models.QuerySet):
    def of_visible_stories(self, user):
        """This reader's history, less the works they can no longer find (drafted again, say)."""
        from archive.stories.models import Story

        return self.filter(user=user, story__in=Story.objects.visible_to(user))

    def with_new_chapters(self):
        """`new_chapters`: chapters posted since the reader last read; `has_new` for ordering."""
        posted_since = _posted_chapters().filter(published_at__gt=OuterRef("last_read_at"))
        return self.annotate(new_chapters=_count(posted_since), has_new=Exists(posted_since))

    def with_next_chapter(self):
        """`number_now`: the last chapter's number today (chapters before it may have gone);
        `next_chapter_id`: the first posted chapter after it, if any."""
        return self.annotate(
            number_now=_count(_posted_chapters().filter(position__lte=OuterRef("chapter__position"))),
            next_chapter_id=Subquery(
                _posted_chapters()
                .filter(position__gt=OuterRef("chapter__position"))
                .order_by("position")
                .values("pk")[:1]
            ),
        )

    def newest_first(self):
        return self.order_by("-last_read_at", "-id")

    def for_continue_box(self, user):
        """The front page's "Continue reading" box, in one query."""
        return (
            self.of_visible_stories(user)
            .with_next_chapter()
            .select_related("story", "chapter")
            .only(*READING_FIELDS, "story__id", "story__title")
            .newest_first()
        )

    def for_history(self, user):
        """The history page: works with new chapters first, then by when last read; each as a card."""
        from archive.stories.models import Story

        return (
            self.of_visible_stories(user)
            .with_new_chapters()
            .with_next_chapter()
            .select_related("chapter")
            .only(*READING_FIELDS)
            .prefetch_related(Prefetch("story", queryset=Story.objects.for_cards()))
            .order_by("-has_new", "-last_read_at", "-id")
        )


READING_FIELDS = [
    "id",
    "user_id",
    "story_id",
    "chapter_number",
    "last_read_at",
    "chapter__id",
    "chapter__story_id",
    "chapter__position",
    "chapter__title",
]
