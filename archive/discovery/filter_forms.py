from django import forms

from archive.discovery.filtering import SORTS, WorkFilter
from archive.stories.choices import Rating
from archive.tags.filtering import MAIN_KINDS, in_any_ship
from archive.tags.models import Tag


class IdListField(forms.Field):
    """Repeated integer parameters (?include=3&include=9); anything else is ignored."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        ids = []
        for item in value or []:
            try:
                ids.append(int(item))
            except (TypeError, ValueError):
                continue
        return [tag_id for tag_id in dict.fromkeys(ids) if 0 < tag_id < 2**62]


SIDEBAR_FIELDS = {"include", "exclude", "rating", "exclude_rating", "with_ships", "main_only", "sort", "order", "page"}


def carried_params(query_dict) -> list[tuple[str, str]]:
    """The parameters a sidebar form must carry along: the search itself, not its own fields."""
    return [(name, value) for name, values in query_dict.lists() for value in values if name not in SIDEBAR_FIELDS]


class WorkFilterForm(forms.Form):
    """The sidebar of every list of works: include and exclude by facet, and sort."""

    include = IdListField(required=False)
    exclude = IdListField(required=False)
    rating = forms.MultipleChoiceField(choices=Rating.choices, required=False, widget=forms.CheckboxSelectMultiple)
    exclude_rating = forms.MultipleChoiceField(
        choices=Rating.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    with_ships = forms.BooleanField(required=False, label="Also works where the character is in a relationship tag")
    main_only = forms.BooleanField(required=False, label="Only works where it is main, not in the background")
    sort = forms.ChoiceField(
        choices=[(key, label) for key, (_, label) in SORTS.items()], required=False, label="Sort by"
    )
    order = forms.ChoiceField(choices=[("desc", "Descending"), ("asc", "Ascending")], required=False, label="Order")

    def value(self, name: str, default=None):
        """A field's cleaned value; its default when the form is unbound or the field invalid."""
        if self.is_bound and self.is_valid() is not None and name in getattr(self, "cleaned_data", {}):
            value = self.cleaned_data[name]
            return default if value in (None, "", [], ()) else value
        return default

    def work_filter(self) -> WorkFilter:
        """The reader's choices; fields that didn't validate fall back to their defaults."""
        data = self.cleaned_data if self.is_bound and self.is_valid() is not None else {}
        return WorkFilter(
            all_of=list(data.get("include") or []),
            none_of=list(data.get("exclude") or []),
            ratings=list(data.get("rating") or []),
            excluded_ratings=list(data.get("exclude_rating") or []),
            sort=data.get("sort") or "updated",
            ascending={"asc": True, "desc": False}.get(data.get("order")),
        )

    def tag_filter(self, tag: Tag) -> WorkFilter:
        """`work_filter` on one tag's works page: the tag's works (a character's, with "with ships",
        also where they are in a relationship tag; with "only where it is main", only where it is one
        of the work's main characters or relationships)."""
        wanted = self.work_filter()
        main = self.value("main_only", False) and tag.kind in MAIN_KINDS
        if tag.kind == Tag.Kind.CHARACTER and self.value("with_ships"):
            (wanted.main_any_of if main else wanted.any_of).append([tag.pk, *in_any_ship(tag.pk)])
        else:
            (wanted.main_all_of if main else wanted.all_of).append(tag.pk)
        return wanted
