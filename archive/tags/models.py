from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from taggit.models import TagBase

MAX_TAG_LENGTH = 150
MAX_TAGS_PER_STORY = 75


class TagKind(models.TextChoices):
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional tag"


class Tag(TagBase):
    """One tag model for every kind; a name belongs to exactly one kind, whatever its case."""

    Kind = TagKind

    name = models.CharField(max_length=MAX_TAG_LENGTH, unique=True)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=TagKind.values), name="tag_kind_valid"),
            models.UniqueConstraint(Lower("name"), name="tag_name_unique_ignoring_case"),
        ]
        indexes = [models.Index(fields=["kind", "name"], name="tag_kind_name")]

    def get_absolute_url(self) -> str:
        return reverse("stories:tag_works", args=[self.name])
