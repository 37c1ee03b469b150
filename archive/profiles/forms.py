from django import forms
from django.core.validators import URLValidator

from archive.core.prose import clean_prose, strip_controls
from archive.profiles.models import MAX_ABOUT_LENGTH, WEBSITE_SCHEMES, Profile

WEBSITE_REFUSED = "Enter a web address starting with http:// or https:// (other kinds of link can't be shown)."


class WebsiteField(forms.URLField):
    """A web address; "example.org" becomes https://example.org, and only http(s) links pass."""

    default_validators = [URLValidator(schemes=WEBSITE_SCHEMES, message=WEBSITE_REFUSED)]
    default_error_messages = {"invalid": WEBSITE_REFUSED}

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


class ProfileForm(forms.ModelForm):
    about = forms.CharField(
        label="About me",
        required=False,
        max_length=MAX_ABOUT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Plain text or simple HTML, like a summary: a blank line starts a new paragraph.",
    )
    website = WebsiteField(required=False, label="Website", help_text="Shown as a link on your profile.")

    class Meta:
        model = Profile
        fields = ["display_name", "pronouns", "about", "website"]
        help_texts = {"display_name": "Shown on your profile above your username."}

    def clean_display_name(self) -> str:
        return " ".join(strip_controls(self.cleaned_data["display_name"]).split())

    def clean_pronouns(self) -> str:
        return " ".join(strip_controls(self.cleaned_data["pronouns"]).split())

    def clean_about(self) -> str:
        return clean_prose(self.cleaned_data["about"])

    def clean_website(self) -> str:
        # A scheme typed in capitals or hidden behind spaces was refused above; what passes is http(s).
        return self.cleaned_data["website"].strip()

    def profile_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
