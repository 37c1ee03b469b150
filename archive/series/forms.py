from django import forms

from archive.core.prose import clean_prose, strip_controls
from archive.series.models import Series, SeriesWork
from archive.stories.models import MAX_NOTES_LENGTH, MAX_SUMMARY_LENGTH, MAX_TITLE_LENGTH

MAX_PART = 9999


def _part_field(label: str, *, required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        required=required,
        min_value=1,
        max_value=MAX_PART,
        label=label,
        widget=forms.NumberInput(attrs={"class": "part-number"}),
        error_messages={"required": "Give a part number (1 is the first part)."},
    )


class SeriesForm(forms.ModelForm):
    """A series' own details."""

    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=MAX_SUMMARY_LENGTH)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=MAX_NOTES_LENGTH)

    class Meta:
        model = Series
        fields = ["title", "summary", "notes", "complete"]
        labels = {"complete": "This series is complete"}
        error_messages = {"title": {"required": "Give the series a title."}}

    def clean_title(self) -> str:
        title = strip_controls(self.cleaned_data["title"]).strip()
        if not title:
            raise forms.ValidationError("Give the series a title.")
        return title

    def clean_summary(self) -> str:
        return clean_prose(self.cleaned_data["summary"])

    def clean_notes(self) -> str:
        return clean_prose(self.cleaned_data["notes"])

    def series_fields(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class SeriesOrderForm(forms.Form):
    """The series' works, each with its part number and a box to take it out of the series."""

    def __init__(self, *args, links: list[SeriesWork], **kwargs):
        super().__init__(*args, **kwargs)
        self.links = links
        for link in links:
            self.fields[f"part_{link.story_id}"] = _part_field(f"Part number of “{link.story.title}”", required=True)
            self.fields[f"remove_{link.story_id}"] = forms.BooleanField(
                required=False, label=f"Take “{link.story.title}” out of the series"
            )
            self.initial[f"part_{link.story_id}"] = link.position

    def rows(self) -> list[tuple[SeriesWork, forms.BoundField, forms.BoundField]]:
        return [(link, self[f"part_{link.story_id}"], self[f"remove_{link.story_id}"]) for link in self.links]

    def order(self) -> tuple[list[int], list[int]]:
        """The works kept, in the order their numbers put them (a tie keeps the order they had),
        and the works taken out."""
        kept = [link for link in self.links if not self.cleaned_data[f"remove_{link.story_id}"]]
        kept.sort(key=lambda link: (self.cleaned_data[f"part_{link.story_id}"], link.position))
        removed = [link.story_id for link in self.links if self.cleaned_data[f"remove_{link.story_id}"]]
        return [link.story_id for link in kept], removed


class WorkSeriesForm(forms.Form):
    """A work form's "Series" box: add the work to one of the author's series, or to a new one,
    as a given part; on a work that is in series already, change its part or take it out."""

    series = forms.ModelChoiceField(
        queryset=Series.objects.none(),
        required=False,
        label="Add to one of your series",
        empty_label="(none)",
    )
    new_title = forms.CharField(required=False, max_length=MAX_TITLE_LENGTH, label="…or to a new series titled")
    part = _part_field("Part number", required=False)

    def __init__(self, *args, user, story=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].help_text = "Leave blank to add it as the last part."
        self.links = []
        mine = Series.objects.created_by(user).only("title").order_by("title")
        if story is not None and story.pk:
            self.links = list(
                SeriesWork.objects.filter(story=story, series__in=mine)
                .select_related("series")
                .only("position", "story_id", "series__title")
                .order_by("series__title")
            )
            mine = mine.exclude(series_works__story=story)
        self.fields["series"].queryset = mine
        for link in self.links:
            # Not required: a form that doesn't send it (an older page, a script) keeps the work's part.
            self.fields[f"part_{link.series_id}"] = _part_field(f"Part in “{link.series.title}”", required=False)
            self.fields[f"remove_{link.series_id}"] = forms.BooleanField(
                required=False, label=f"Take this work out of “{link.series.title}”"
            )
            self.initial[f"part_{link.series_id}"] = link.position

    def clean_new_title(self) -> str:
        return strip_controls(self.cleaned_data["new_title"]).strip()

    def clean(self):
        cleaned = super().clean()
        chosen, title = cleaned.get("series"), cleaned.get("new_title")
        if chosen and title:
            self.add_error("new_title", "Choose one of your series or type a new title, not both.")
        elif cleaned.get("part") and not chosen and not title:
            self.add_error("part", "Choose a series (or type a new title) for this part number.")
        return cleaned

    def memberships(self) -> list[tuple[SeriesWork, forms.BoundField, forms.BoundField]]:
        return [(link, self[f"part_{link.series_id}"], self[f"remove_{link.series_id}"]) for link in self.links]

    def changes(self) -> dict:
        """What `set_work_series` is asked to do."""
        data = self.cleaned_data
        moved = {}
        removed = []
        for link in self.links:
            if data[f"remove_{link.series_id}"]:
                removed.append(link.series)
            elif data[f"part_{link.series_id}"] not in (None, link.position):
                moved[link.series] = data[f"part_{link.series_id}"]
        return {
            "add_to": data.get("series"),
            "new_title": data.get("new_title", ""),
            "part": data.get("part"),
            "moved": moved,
            "removed": removed,
        }
