from django import forms
from django.urls import reverse_lazy


class InviteForm(forms.Form):
    username = forms.CharField(
        label="Invite a co-creator",
        max_length=150,
        help_text="Their username. They are credited once they accept the invitation in their inbox.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                # static/js/cocreator-names.js suggests names from here as the author types.
                "data-username-suggestions": reverse_lazy("cocreators:usernames"),
            }
        ),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()


class LeaveForm(forms.Form):
    """Leaving a work with other authors, or orphaning one that has none."""

    action = forms.ChoiceField(choices=[("leave", "Leave"), ("orphan", "Orphan")])


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
