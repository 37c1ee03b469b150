"""The forms of a work's life cycle: the work's details and tags (`StoryForm`), a chapter
(`ChapterForm`, the first chapter's too, with a prefix) and the chapters' order (`ChapterOrderForm`)."""

import datetime

from django import forms
from django.utils import timezone

from archive.chapters.models import MAX_BODY_LENGTH, Chapter
from archive.core.prose import clean_prose, html_to_text, strip_controls
from archive.stories.choices import Category, Warning, from_flags, to_flags
from archive.stories.forms import TAG_FIELDS
from archive.stories.models import MAX_MAIN_TAGS, MAX_NOTES_LENGTH, MAX_SUMMARY_LENGTH, Story
from archive.tags.forms import TagListField
from archive.tags.models import MAX_TAGS_PER_STORY, Tag
from archive.tags.names import match_key
from archive.tags.services import tag_kind_conflicts

EARLIEST_BACKDATE = datetime.date(1900, 1, 1)
# Which of the work's characters and relationships are main: each field names some of the tags
# in the field it is about.
MAIN_FIELDS = {"main_characters": "characters", "main_relationships": "relationships"}


def notes_field(label: str) -> forms.CharField:
    """An author's notes box (a work's or a chapter's, before or after), optional, HTML allowed."""
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=MAX_NOTES_LENGTH, label=label
    )


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
    notes = notes_field("Work notes (before the first chapter)")
    end_notes = notes_field("Work end notes (after the last chapter)")
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


class ChapterForm(forms.ModelForm):
    title = forms.CharField(max_length=255, required=False, label="Chapter title")
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_SUMMARY_LENGTH,
        label="Chapter summary",
        help_text="Shown at the top of the chapter.",
    )
    notes = notes_field("Chapter notes (before this chapter)")
    end_notes = notes_field("Chapter end notes (after this chapter)")
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20}),
        max_length=MAX_BODY_LENGTH,
        label="Chapter text",
        help_text="Paste plain text (a blank line starts a new paragraph) or simple HTML.",
        error_messages={"required": "A chapter needs some text."},
    )

    class Meta:
        model = Chapter
        fields = ["title", "summary", "notes", "end_notes", "body"]

    def clean_title(self) -> str:
        return strip_controls(self.cleaned_data["title"]).strip()

    def clean_summary(self) -> str:
        return clean_prose(self.cleaned_data["summary"])

    def clean_notes(self) -> str:
        return clean_prose(self.cleaned_data["notes"])

    def clean_end_notes(self) -> str:
        return clean_prose(self.cleaned_data["end_notes"])

    def clean_body(self) -> str:
        body = clean_prose(self.cleaned_data["body"])
        if not html_to_text(body).strip() and "<img" not in body:
            raise forms.ValidationError("A chapter needs some text.", code="empty")
        return body

    def chapter_fields(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class ChapterOrderForm(forms.Form):
    """A position number for each chapter (works without a script), and the order the form was built from.

    Numbers need not be 1..n: chapters are sorted by them, and a chapter given the number another
    already has goes where its author typed it (before it when moved up, after it when moved down).
    """

    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, chapters: list[Chapter], **kwargs):
        super().__init__(*args, **kwargs)
        self.chapters = chapters
        self.initial["seen"] = ",".join(str(chapter.pk) for chapter in chapters)
        for chapter in chapters:
            self.fields[self.field_name(chapter)] = forms.IntegerField(
                label=f"Position of {chapter.heading}",
                min_value=1,
                max_value=len(chapters),
                initial=chapter.position,
                widget=forms.NumberInput(attrs={"class": "position", "inputmode": "numeric"}),
                error_messages={
                    "required": f"Give a position from 1 to {len(chapters)}.",
                    "invalid": f"Give a position from 1 to {len(chapters)}.",
                    "min_value": f"Give a position from 1 to {len(chapters)}.",
                    "max_value": f"Give a position from 1 to {len(chapters)}.",
                },
            )

    @staticmethod
    def field_name(chapter: Chapter) -> str:
        return f"position-{chapter.pk}"

    def rows(self) -> list[tuple[Chapter, forms.BoundField]]:
        return [(chapter, self[self.field_name(chapter)]) for chapter in self.chapters]

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["seen"] = [int(pk) for pk in cleaned.get("seen", "").split(",")]
        except ValueError:
            # A hidden field's error would show nowhere: say it above the form.
            raise forms.ValidationError("This form is damaged; reload the page.", code="invalid") from None
        return cleaned

    def order(self) -> list[int]:
        """The chapters' ids in their new order."""

        def place(chapter: Chapter) -> tuple[int, int, int]:
            wanted = self.cleaned_data[self.field_name(chapter)]
            # Moved up: before the chapter already there; moved down: after it.
            tie = 0 if wanted < chapter.position else 2 if wanted > chapter.position else 1
            return (wanted, tie, chapter.position)

        return [chapter.pk for chapter in sorted(self.chapters, key=place)]
