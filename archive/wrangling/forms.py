from django import forms

from archive.tags.forms import FORBIDDEN, TagListField
from archive.tags.models import MAX_TAG_LENGTH, ShipKind, Tag


def _existing(name: str, kind: str | None = None) -> Tag:
    tag = Tag.objects.named(name).first()
    if tag is None:
        raise forms.ValidationError(f"There is no tag “{name}”.")
    if kind and tag.kind != kind:
        raise forms.ValidationError(f"“{tag.name}” is a {tag.get_kind_display().lower()} tag.")
    return tag


class TagNameField(forms.CharField):
    """The name of an existing tag, of the kind given (any kind when None)."""

    def __init__(self, *, kind: str | None = None, **kwargs):
        self.kind = kind
        super().__init__(max_length=MAX_TAG_LENGTH, **kwargs)

    def clean(self, value) -> Tag:
        return _existing(super().clean(value).strip(), self.kind)


class ExistingTagsField(TagListField):
    def __init__(self, *, kind: str, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def clean(self, value) -> list[Tag]:
        return [_existing(name, self.kind) for name in super().clean(value)]


class SynonymForm(forms.Form):
    of = TagNameField(label="Make it a synonym of (a canonical tag of the same kind)")


class MergeForm(forms.Form):
    into = TagNameField(label="Merge it into (moves every work and deletes this tag)")


class RenameForm(forms.Form):
    name = forms.CharField(max_length=MAX_TAG_LENGTH, label="New name")

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if "," in name or FORBIDDEN.search(name):
            raise forms.ValidationError("Tag names can't contain commas or * < > ^ { } = `.")
        return name


class FandomsForm(forms.Form):
    fandoms = ExistingTagsField(kind=Tag.Kind.FANDOM, label="Fandoms")


class CharactersForm(forms.Form):
    characters = ExistingTagsField(kind=Tag.Kind.CHARACTER, label="Characters in the relationship")
    ship_kind = forms.ChoiceField(choices=ShipKind.choices, widget=forms.RadioSelect, label="Kind")
