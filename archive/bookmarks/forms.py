from django import forms

from archive.bookmarks.models import (
    MAX_LIST_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    Bookmark,
)
from archive.core.prose import strip_controls


def split_tags(text: str) -> list[str]:
    """Comma-separated tags, trimmed, each once whatever its case, in the order typed."""
    seen: dict[str, str] = {}
    for raw in strip_controls(text).split(","):
        name = " ".join(raw.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


class BookmarkForm(forms.Form):
    note = forms.CharField(
        label="Notes",
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain text: a blank line starts a new paragraph.",
    )
    tags = forms.CharField(
        label="Your tags",
        required=False,
        max_length=MAX_TAGS * (MAX_TAG_LENGTH + 2),
        help_text="Comma-separated; only for sorting your own bookmarks.",
    )
    private = forms.BooleanField(label="Private bookmark", required=False)

    def __init__(self, *args, bookmark: Bookmark | None = None, prefix: str | None = None, **kwargs):
        if bookmark is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "note": bookmark.note,
                "tags": ", ".join(tag.name for tag in bookmark.tags.all()),
                "private": bookmark.private,
            }
        super().__init__(*args, prefix=prefix, **kwargs)

    def clean_note(self) -> str:
        # Browsers send a textarea's line breaks as CRLF; keep plain newlines.
        note = self.cleaned_data["note"].replace("\r\n", "\n").replace("\r", "\n")
        return strip_controls(note).strip()

    def clean_tags(self) -> list[str]:
        tags = split_tags(self.cleaned_data["tags"])
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(f"Use at most {MAX_TAGS} tags.")
        too_long = [name for name in tags if len(name) > MAX_TAG_LENGTH]
        if too_long:
            raise forms.ValidationError(f"Keep each tag under {MAX_TAG_LENGTH} characters.")
        return tags

    def bookmark_fields(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("note", "tags", "private")}


class ReadingListForm(forms.Form):
    name = forms.CharField(label="List name", max_length=MAX_LIST_NAME_LENGTH)

    def clean_name(self) -> str:
        name = " ".join(strip_controls(self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError("Give the list a name.")
        return name


class BookmarkFilterForm(forms.Form):
    """Filters of a bookmark list, all GET parameters; a field that doesn't validate is ignored."""

    tag = forms.CharField(label="Fandom, character or relationship", required=False, max_length=150)
    bookmark_tag = forms.CharField(label="Bookmarker's tag", required=False, max_length=MAX_TAG_LENGTH)
    q = forms.CharField(label="Notes contain", required=False, max_length=200)

    def value(self, name: str) -> str:
        self.is_valid()  # bound to request.GET: cleans every field, keeps the valid ones
        return " ".join(strip_controls(self.cleaned_data.get(name) or "").split())
