from django import forms

from archive.comments.models import MAX_COMMENT_LENGTH, MAX_GUEST_NAME_LENGTH, Comment
from archive.core.converters import MAX_ID
from archive.core.prose import strip_controls

EMPTY = "Write something before posting your comment."


class CommentForm(forms.ModelForm):
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_COMMENT_LENGTH,
        error_messages={"required": EMPTY},
        help_text="Plain text: a blank line starts a new paragraph, and links become clickable.",
    )

    class Meta:
        model = Comment
        fields = ["body"]

    def clean_body(self) -> str:
        # Browsers send a textarea's line breaks as CRLF.
        body = strip_controls(self.cleaned_data["body"].replace("\r\n", "\n")).strip()
        if not body:
            raise forms.ValidationError(EMPTY)
        return body


class GuestCommentForm(CommentForm):
    """A guest's comment: a name to show, an optional e-mail address never shown, and a honeypot
    field that people never see and spam robots fill in.

    The Archive of Our Own requires a guest's address because it mails them replies; we send
    nothing, so ours is optional, kept only for the archive's administrators (the admin shows it).
    """

    guest_name = forms.CharField(
        label="Name", max_length=MAX_GUEST_NAME_LENGTH, error_messages={"required": "Tell us a name to show."}
    )
    guest_email = forms.EmailField(
        required=False,
        label="Email (optional, never shown)",
        help_text="Only the archive's administrators can see it, to reach you about this comment if they "
        "must. No mail is sent to it.",
        error_messages={"invalid": "Enter a valid e-mail address."},
    )
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta(CommentForm.Meta):
        fields = ["guest_name", "guest_email", "body"]

    def clean_guest_name(self) -> str:
        name = strip_controls(self.cleaned_data["guest_name"]).strip()
        if not name:
            raise forms.ValidationError("Tell us a name to show.")
        return name

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class BlockForm(forms.Form):
    username = forms.CharField(
        max_length=150, label="Block a user", widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "block-%s")
        super().__init__(*args, **kwargs)

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()


class UnblockForm(forms.Form):
    unblock = forms.IntegerField(min_value=1, max_value=MAX_ID)
