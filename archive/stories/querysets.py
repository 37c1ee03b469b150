from django.db import models
from django.db.models import Prefetch


class StoryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def drafts(self):
        return self.filter(published_at__isnull=True)

    def visible_to(self, user):
        """What this reader may find in any list, tag page, search or feed. Drafts never list,
        not even for their authors, who have their dashboard."""
        return self.published()

    def written_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(authors=user)

    def readable_by(self, user):
        """Stories whose pages this reader may open: visible ones, and their own drafts."""
        visible = self.visible_to(user)
        if not user.is_authenticated:
            return visible
        return self.filter(models.Q(pk__in=visible.values("pk")) | models.Q(pk__in=self.written_by(user).values("pk")))

    def with_tag_ids(self, tag_ids):
        """Stories carrying every one of these tags."""
        queryset = self
        for tag_id in tag_ids:
            queryset = queryset.filter(tag_links__tag_id=tag_id)
        return queryset

    def for_cards(self):
        """What a story card renders, in a fixed number of queries."""
        from archive.stories.models import StoryTag

        return self.defer("search_vector").prefetch_related(
            "authors",
            Prefetch("tag_links", queryset=StoryTag.objects.select_related("tag").order_by("id")),
        )

    def recently_updated(self):
        return self.order_by("-updated_at", "-id")

    def for_reading(self):
        """What the work and chapter pages render about the story itself."""
        return self.for_cards()
