from django import forms

from archive.chapters.models import MAX_BODY_LENGTH, Chapter
from archive.core.prose import clean_prose, html_to_text, strip_controls
from archive.stories.models import MAX_NOTES_LENGTH


class ChapterForm(forms.ModelForm):
    title = forms.CharField(max_length=255, required=False, label="Chapter title")
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
        fields = ["title", "notes", "end_notes", "body"]

    def clean_title(self) -> str:
        return strip_controls(self.cleaned_data["title"]).strip()

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
