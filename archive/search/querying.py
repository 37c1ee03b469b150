"""What a search finds, defined once: the search page lists it, and saved searches' alerts
(archive/search/alerts.py) ask it about one newly posted work."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from archive.discovery.filtering import WorkFilter
from archive.discovery.text import match_text, match_title
from archive.search.forms import WorkSearchForm
from archive.series.models import SeriesWork
from archive.stories.models import Story
from archive.tags.models import Tag


def tags_named_in(keys) -> dict[str, Tag]:
    """The tags these match keys name, by key: one query, even when no tag is named."""
    return {tag.match_key: tag for tag in Tag.objects.filter(match_key__in=[*keys, ""])}


def searched_works(
    works: QuerySet, form: WorkSearchForm, tags: dict[str, Tag], *, rank: bool = False
) -> tuple[QuerySet, WorkFilter, list[str]]:
    """These works narrowed by the search's title, author, series and words (ranked, with `rank`),
    the WorkFilter for the rest of it, and the tag names it gives that no tag has (then nothing)."""
    wanted, unknown = form.search_filter(tags)
    if unknown:
        works = works.none()
    return match_text(_narrow(works, form), form.value("q", ""), rank=rank), wanted, unknown


def _narrow(works, form: WorkSearchForm):
    title, author = form.value("title", ""), form.value("author", "").strip()
    works = match_title(works, title)
    if series := form.value("series", "").strip():
        words = Q()
        for word in series.split():
            words &= Q(series__title__icontains=word)
        works = works.filter(Exists(SeriesWork.objects.filter(words, story=OuterRef("pk"))))
    if author:
        writers = Story.authors.through.objects.filter(
            story=OuterRef("pk"),
            user__in=get_user_model().objects.filter(username__iexact=author),
        )
        works = works.filter(Exists(writers))
    return works
