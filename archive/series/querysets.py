from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce


def _creators() -> Prefetch:
    return Prefetch("creators", queryset=get_user_model().objects.only("username").order_by("username"))


class SeriesQuerySet(models.QuerySet):
    def created_by(self, user):
        """The series this user may add works to, edit and delete."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(creators=user)

    def with_stats(self, viewer):
        """`work_count` and `word_count`: of the works this viewer may see (drafts and, for guests,
        restricted works count for nobody), one subquery each."""
        from archive.series.models import SeriesWork
        from archive.stories.models import Story

        shown = SeriesWork.objects.filter(
            series=OuterRef("pk"), story__in=Story.objects.visible_to(viewer).values("pk")
        ).order_by()
        works = shown.values("series").annotate(n=Count("pk")).values("n")
        words = shown.values("series").annotate(n=Sum("story__word_count")).values("n")
        return self.annotate(work_count=Coalesce(Subquery(works), 0), word_count=Coalesce(Subquery(words), 0))

    def for_blurbs(self, viewer):
        """What a series blurb shows: title, summary, creators and stats, in two queries."""
        return self.defer("notes").with_stats(viewer).prefetch_related(_creators())


def for_blurbs(lookup: str) -> list[Prefetch]:
    """Prefetches that give the series at `lookup` what a blurb shows (stats as guests see them:
    a list such as a reader's bookmarks is shared by every viewer)."""
    from archive.series.models import Series

    return [Prefetch(lookup, queryset=Series.objects.for_blurbs(AnonymousUser()))]
