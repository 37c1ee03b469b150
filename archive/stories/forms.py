import datetime

from django import forms
from django.utils import timezone

from archive.core.prose import clean_prose, strip_controls
from archive.stories.choices import Category, Warning, from_flags, to_flags
from archive.stories.models import MAX_MAIN_TAGS, MAX_NOTES_LENGTH, MAX_SUMMARY_LENGTH, Story
from archive.tags.forms import TagListField
from archive.tags.models import MAX_TAGS_PER_STORY, Tag
from archive.tags.names import match_key
from archive.tags.services import tag_kind_conflicts

EARLIEST_BACKDATE = datetime.date(1900, 1, 1)
TAG_FIELDS = {
    "fandoms": Tag.Kind.FANDOM,
    "characters": Tag.Kind.CHARACTER,
    "relationships": Tag.Kind.RELATIONSHIP,
    "freeforms": Tag.Kind.FREEFORM,
}
# Which of the work's characters and relationships are main: each field names some of the tags
# in the field it is about.
MAIN_FIELDS = {"main_characters": "characters", "main_relationships": "relationships"}


class StoryForm(forms.ModelForm):
    """A story's own details and tags; the first chapter has a form of its own."""

    warnings = forms.TypedMultipleChoiceField(
        choices=Warning.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="Archive warnings",
        error_messages={"required": "Choose at least one archive warning."},
    )
    categories = forms.TypedMultipleChoiceField(
        choices=Category.choices, coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    fandoms = TagListField(required=True, label="Fandoms", error_messages={"required": "Name at least one fandom."})
    characters = TagListField(label="Characters")
    relationships = TagListField(
        label="Relationships", help_text="“A/B” for a romantic relationship, “A & B” for a platonic one."
    )
    main_characters = TagListField(
        label="Main characters",
        help_text=f"Up to {MAX_MAIN_TAGS[Tag.Kind.CHARACTER]} of the characters above that the work is about; "
        "the others are background. Leave it empty and all count as main.",
    )
    main_relationships = TagListField(
        label="Main relationships",
        help_text=f"Up to {MAX_MAIN_TAGS[Tag.Kind.RELATIONSHIP]} of the relationships above; "
        "leave it empty and all count as main.",
    )
    freeforms = TagListField(label="Additional tags")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=MAX_SUMMARY_LENGTH)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_NOTES_LENGTH,
        label="Work notes (before the first chapter)",
    )
    end_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_NOTES_LENGTH,
        label="Work end notes (after the last chapter)",
    )
    expected_chapters = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=9999,
        label="Expected chapters",
        help_text="Leave blank if you don't know yet (shown as “?”).",
    )
    backdate = forms.DateField(
        required=False,
        label="Set a different publication date",
        help_text="For a work first published elsewhere, or earlier: the date readers see as “Published”. "
        "Leave it empty for the day it is posted.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
    )

    class Meta:
        model = Story
        fields = ["title", "summary", "notes", "end_notes", "rating", "warnings", "categories", "language",
                  "expected_chapters", "backdate", "restricted", "comment_permission", "moderate_comments"]  # fmt: skip
        widgets = {"comment_permission": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, kind in TAG_FIELDS.items():
            self.fields[field].widget.attrs["data-tag-kind"] = kind
        for field, among in MAIN_FIELDS.items():
            self.fields[field].widget.attrs["data-tag-kind"] = TAG_FIELDS[among]
        # A form that doesn't send it (an older page, a script) keeps the work's setting.
        self.fields["comment_permission"].required = False
        story = self.instance
        if story.pk:
            self.initial["warnings"] = [flag.value for flag in from_flags(Warning, story.warnings)]
            self.initial["categories"] = [flag.value for flag in from_flags(Category, story.categories)]
            links = story.tag_links.select_related("tag").order_by("id")
            for field, kind in TAG_FIELDS.items():
                self.initial[field] = [link.tag.name for link in links if link.tag.kind == kind]
            for field, among in MAIN_FIELDS.items():
                kind = TAG_FIELDS[among]
                self.initial[field] = [link.tag.name for link in links if link.tag.kind == kind and link.main]

    def clean_comment_permission(self) -> str:
        return self.cleaned_data["comment_permission"] or self.instance.comment_permission

    def clean_title(self) -> str:
        return strip_controls(self.cleaned_data["title"]).strip()

    def clean_summary(self) -> str:
        return clean_prose(self.cleaned_data["summary"])

    def clean_notes(self) -> str:
        return clean_prose(self.cleaned_data["notes"])

    def clean_end_notes(self) -> str:
        return clean_prose(self.cleaned_data["end_notes"])

    def clean_backdate(self) -> datetime.date | None:
        day = self.cleaned_data["backdate"]
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError("A publication date can't be in the future.", code="future")
        if day is not None and day < EARLIEST_BACKDATE:
            raise forms.ValidationError(f"Enter a date from {EARLIEST_BACKDATE:%Y-%m-%d} on.", code="too_early")
        return day

    def clean_warnings(self) -> int:
        return to_flags(self.cleaned_data["warnings"])

    def clean_categories(self) -> int:
        return to_flags(self.cleaned_data["categories"])

    def clean(self):
        cleaned = super().clean()
        tags_by_kind = self.tags_by_kind()
        seen: dict[str, str] = {}
        for field, kind in TAG_FIELDS.items():
            for name in tags_by_kind.get(kind, []):
                other = seen.setdefault(name.lower(), field)
                if other != field:
                    self.add_error(
                        field, f"“{name}” is also in {self.fields[other].label.lower()}; a tag has one kind."
                    )
        total = sum(len(names) for names in tags_by_kind.values())
        if total > MAX_TAGS_PER_STORY:
            self.add_error(
                None,
                f"A work may have at most {MAX_TAGS_PER_STORY} fandom, character, relationship and "
                f"additional tags together; this one has {total}.",
            )
        fields_by_kind = {kind: field for field, kind in TAG_FIELDS.items()}
        for kind, messages in tag_kind_conflicts(tags_by_kind).items():
            for message in messages:
                self.add_error(fields_by_kind[kind], message)
        self._clean_mains()
        return cleaned

    def _clean_mains(self) -> None:
        """Main ones must be among the work's tags of their kind, and few: as typed there, so a
        main "carol" is the work's "Carol Peletier" tag however it was spelled."""
        for field, among in MAIN_FIELDS.items():
            if field not in self.cleaned_data or among not in self.cleaned_data:
                continue  # the field it names tags of has its own error to show
            kind = TAG_FIELDS[among]
            relationship = kind == Tag.Kind.RELATIONSHIP
            typed = {match_key(name, relationship=relationship): name for name in self.cleaned_data[among]}
            asked = (typed.get(match_key(name, relationship=relationship), name) for name in self.cleaned_data[field])
            names = list(dict.fromkeys(asked))
            missing = [name for name in names if name not in typed.values()]
            label = self.fields[among].label.lower()
            limit = MAX_MAIN_TAGS[kind]
            if missing:
                one = len(missing) == 1
                verb, pronoun = ("is", "it") if one else ("are", "them")
                message = f"{_quoted(missing)} {verb} not in {label}; add {pronoun} there first."
                self.add_error(field, message)
            elif len(names) > limit:
                message = (
                    f"Mark at most {limit} main {label}; you marked {len(names)}. The others can stay as background."
                )
                self.add_error(field, message)
            else:
                self.cleaned_data[field] = names

    def mains_by_kind(self) -> dict[str, list[str]]:
        """The names of the work's main characters and relationships, as typed in their fields."""
        return {TAG_FIELDS[among]: self.cleaned_data.get(field) or [] for field, among in MAIN_FIELDS.items()}

    def tags_by_kind(self) -> dict[str, list[str]]:
        return {kind: self.cleaned_data.get(field) or [] for field, kind in TAG_FIELDS.items()}

    def story_fields(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


def _quoted(names: list[str]) -> str:
    quoted = [f"“{name}”" for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
