from django import forms

from archive.notifications.models import DIGEST_KINDS, Channel, Kind, Preferences, channels_of

PREFERENCE_FIELDS = [Preferences.field_name(kind, channel) for kind in Kind for channel in channels_of(kind)]


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = PREFERENCE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            for channel in channels_of(kind):
                label = channel.label
                if kind in DIGEST_KINDS and channel == Channel.EMAIL:
                    label = "By e-mail (one e-mail a day, with the day's counts)"
                self.fields[Preferences.field_name(kind, channel)].label = label

    def rows(self) -> list[tuple[str, list]]:
        """One row per kind of notification: its name, and its inbox and e-mail switches."""
        return [
            (kind.label, [self[Preferences.field_name(kind, channel)] for channel in channels_of(kind)])
            for kind in Kind
            if channels_of(kind)
        ]
