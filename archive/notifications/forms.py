from django import forms

from archive.notifications.models import Kind, Preferences, channels_of

PREFERENCE_FIELDS = [Preferences.field_name(kind, channel) for kind in Kind for channel in channels_of(kind)]


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = PREFERENCE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            for channel in channels_of(kind):
                self.fields[Preferences.field_name(kind, channel)].label = channel.label

    def rows(self) -> list[tuple[str, list]]:
        """One row per kind of notification: its name, and its inbox and (but for digests) e-mail switches."""
        return [
            (kind.label, [self[Preferences.field_name(kind, channel)] for channel in channels_of(kind)])
            for kind in Kind
            if channels_of(kind)
        ]
