"""The tag fields a work's form and the search form share, by the kind of tag each takes."""

from archive.tags.models import Tag

TAG_FIELDS = {
    "fandoms": Tag.Kind.FANDOM,
    "characters": Tag.Kind.CHARACTER,
    "relationships": Tag.Kind.RELATIONSHIP,
    "freeforms": Tag.Kind.FREEFORM,
}
