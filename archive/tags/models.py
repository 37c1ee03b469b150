from functools import lru_cache

from django.db import models
from django.db.models.functions import Lower
from taggit.models import TagBase

from archive.core.reversing import url_with
from archive.tags.converters import escape_tag
from archive.tags.names import MAX_KEY_LENGTH, PLATONIC, ROMANTIC, fitted, match_key

MAX_TAG_LENGTH = 150
MAX_TAGS_PER_STORY = 75


class TagKind(models.TextChoices):
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional tag"


class ShipKind(models.TextChoices):
    ROMANTIC = ROMANTIC, "Romantic"
    PLATONIC = PLATONIC, "Platonic"


class TagQuerySet(models.QuerySet):
    def canonical(self):
        return self.filter(canonical=True)

    def unwrangled(self):
        """Tags nobody has yet made canonical or a synonym of one."""
        return self.filter(canonical=False, merger__isnull=True)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def named(self, name: str):
        """The tag with this name, whatever its case (the unique indexes on name and lower(name) answer).

        The name as stored is asked for too: SQLite's lower() folds only ASCII letters, so there
        "Ἅιδης" is found by its own name, while PostgreSQL finds it in any case.
        """
        return self.annotate(lname=Lower("name")).filter(models.Q(lname=name.lower()) | models.Q(name=name))


class Tag(TagBase):
    """One tag model for every kind; a name belongs to exactly one kind, whatever its case.

    Authors' tags are kept as typed. Wranglers make some tags canonical and others synonyms
    (`merger`) of a canonical tag of the same kind; every filter, count and tag page counts a
    synonym's works under its canonical tag.
    """

    Kind = TagKind

    name = models.CharField(max_length=MAX_TAG_LENGTH, unique=True)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    kind = models.CharField(max_length=20, choices=TagKind.choices)
    # Two names with one key are one tag: case and spacing don't count, nor a ship's name order.
    match_key = models.CharField(max_length=MAX_KEY_LENGTH, unique=True, editable=False)
    canonical = models.BooleanField(default=False)
    merger = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="synonyms",
        verbose_name="synonym of",
    )
    ship_kind = models.CharField(max_length=10, choices=ShipKind.choices, blank=True)
    fandoms = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="members", limit_choices_to={"kind": TagKind.FANDOM}
    )
    characters = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="relationships",
        limit_choices_to={"kind": TagKind.CHARACTER},
        help_text="For a relationship: the characters in it.",
    )
    # Posted works counted under this tag: its own and, for a canonical tag, its synonyms'. A
    # synonym counts nothing of its own: its works are counted under its canonical tag.
    use_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=TagKind.values), name="tag_kind_valid"),
            models.UniqueConstraint(Lower("name"), name="tag_name_unique_ignoring_case"),
            models.CheckConstraint(
                condition=~models.Q(canonical=True, merger__isnull=False), name="tag_synonym_not_canonical"
            ),
            models.CheckConstraint(
                condition=models.Q(ship_kind="") | models.Q(kind=TagKind.RELATIONSHIP), name="tag_ship_kind_on_ships"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "name"], name="tag_kind_name"),
            models.Index(fields=["kind", "-use_count"], name="tag_kind_use"),
        ]

    def slugify(self, tag: str, i: int | None = None) -> str:
        # Normalising can make a slug longer than its name ("ﬃ" is "ffi"): leave room for taggit's "_2".
        slug = fitted(super().slugify(tag), self._meta.get_field("slug").max_length - 10)
        return slug if i is None else f"{slug}_{i}"

    def save(self, *args, **kwargs):
        # The key is derived from the name, so it can never disagree with it.
        self.match_key = match_key(self.name, relationship=self.kind == TagKind.RELATIONSHIP)
        super().save(*args, **kwargs)

    @property
    def filter_id(self) -> int:
        """The id every filter and count uses for this tag: its canonical tag's."""
        return self.merger_id or self.pk

    @property
    def is_synonym(self) -> bool:
        return self.merger_id is not None

    def get_absolute_url(self) -> str:
        return tag_url("stories:tag_works", self.name)

    def get_info_url(self) -> str:
        return tag_url("tags:detail", self.name)


@lru_cache(maxsize=50_000)
def tag_url(view: str, name: str) -> str:
    """A tag page's URL. Lists link every tag of every work, so each is kept per name."""
    return url_with(view, escape_tag(name))
