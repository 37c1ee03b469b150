from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db import models
from django.http import QueryDict
from django.urls import reverse

from archive.core.fields import IdArrayField


def normalized_query(query_dict: QueryDict) -> str:
    """A search's parameters as one stable string: every non-empty value, sorted, without the page."""
    pairs = sorted(
        (name, value.strip())
        for name, values in query_dict.lists()
        for value in values
        if name != "page" and value.strip()
    )
    return urlencode(pairs)


class SavedSearch(models.Model):
    """A reader's search (or tag page with its filters), kept under a name, that can tell them when
    a newly posted work matches (archive/search/alerts.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=100)
    # Saved from a tag's works page (its canonical tag), else from the search page.
    tag = models.ForeignKey("tags.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=2000, help_text="The search's parameters (`normalized_query`).")
    alerts = models.BooleanField("tell me about new works that match", default=True, db_default=True)
    # Derived from `query` by archive/search/alerts.py `alert_index`, when the search is saved: the
    # filter and role ids every match must carry, those none may carry, and its words as a tsquery
    # (PostgreSQL; else "").
    required_ids = IdArrayField()
    excluded_ids = IdArrayField()
    text_query = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["user", "name", "id"], name="saved_search_by_owner")]

    def __str__(self) -> str:
        return f"{self.name} ({self.user_id})"

    def get_absolute_url(self) -> str:
        """Run it again: the page it was saved from, with its parameters."""
        page = self.tag.get_absolute_url() if self.tag_id else reverse("search:works")
        return f"{page}?{self.query}" if self.query else page

    def query_dict(self) -> QueryDict:
        data = QueryDict(mutable=True)
        for name, value in parse_qsl(self.query, keep_blank_values=False):
            data.appendlist(name, value)
        return data
