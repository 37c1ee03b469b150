from django import forms
from django.db.models.functions import Lower

from archive.tags.forms import TagListField
from archive.tags.models import Tag

TAG_FIELDS = {
    "fandoms": Tag.Kind.FANDOM,
    "characters": Tag.Kind.CHARACTER,
    "relationships": Tag.Kind.RELATIONSHIP,
    "freeforms": Tag.Kind.FREEFORM,
}


class WorkSearchForm(forms.Form):
    """Search by tags; every tag named must be on a work for it to match."""

    fandoms = TagListField(label="Fandoms")
    characters = TagListField(label="Characters", help_text="Separate with commas; works must have them all.")
    relationships = TagListField(label="Relationships")
    freeforms = TagListField(label="Additional tags")

    def tag_names(self) -> list[str]:
        return [name for field in TAG_FIELDS for name in self.cleaned_data.get(field) or []]

    def resolve(self) -> tuple[list[int], list[str]]:
        """The ids of the tags asked for, and the names that match no tag of their kind."""
        wanted = {
            name.lower(): (name, kind)
            for field, kind in TAG_FIELDS.items()
            for name in self.cleaned_data.get(field) or []
        }
        found = {
            lname: (pk, kind)
            for pk, lname, kind in Tag.objects.annotate(lname=Lower("name"))
            .filter(lname__in=wanted)
            .values_list("pk", "lname", "kind")
        }
        ids, unknown = [], []
        for lname, (name, kind) in wanted.items():
            match = found.get(lname)
            if match and match[1] == kind:
                ids.append(match[0])
            else:
                unknown.append(name)
        return ids, unknown
