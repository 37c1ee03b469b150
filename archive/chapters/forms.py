from django import forms

from archive.chapters.models import MAX_BODY_LENGTH, Chapter
from archive.core.prose import clean_prose, html_to_text, strip_controls
from archive.stories.models import MAX_NOTES_LENGTH, MAX_SUMMARY_LENGTH


class ChapterForm(forms.ModelForm):
    title = forms.CharField(max_length=255, required=False, label="Chapter title")
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_SUMMARY_LENGTH,
        label="Chapter summary",
        help_text="Shown at the top of the chapter.",
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_NOTES_LENGTH,
        label="Chapter notes (before this chapter)",
    )
    end_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_NOTES_LENGTH,
        label="Chapter end notes (after this chapter)",
    )
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
