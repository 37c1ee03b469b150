from django import forms

from archive.comments.models import MAX_COMMENT_LENGTH, Comment
from archive.core.prose import strip_controls


class CommentForm(forms.ModelForm):
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_COMMENT_LENGTH,
        error_messages={"required": "Write something before posting your comment."},
    )

    class Meta:
        model = Comment
        fields = ["body"]

    def clean_body(self) -> str:
        body = strip_controls(self.cleaned_data["body"]).strip()
        if not body:
            raise forms.ValidationError("Write something before posting your comment.")
        return body
