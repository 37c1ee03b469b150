from django import forms

from archive.discovery.exclusions import MAX_TAGS, RATING_CAPS, Exclusions
from archive.stories.choices import Rating, Warning, from_flags, to_flags
from archive.tags.models import Tag
from archive.tags.names import match_key


class ExclusionsForm(forms.Form):
    """A reader's saved exclusions: on their account, or in a cookie for a logged-out reader."""

    tags = forms.CharField(
        required=False,
        label="Never show works tagged",
        help_text="Tags of any kind, separated by commas. A tag's synonyms are excluded with it.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rating_cap = forms.ChoiceField(
        required=False,
        label="Hide works rated above",
        choices=[("", "Show every rating"), *((value, Rating(value).label) for value in RATING_CAPS)],
        help_text="Works not rated are hidden by any limit: they may hold anything.",
    )
    warnings = forms.TypedMultipleChoiceField(
        required=False,
        coerce=int,
        label="Hide works with these archive warnings",
        choices=[(choice.value, choice.label) for choice in Warning if choice != Warning.NONE_APPLY],
        widget=forms.CheckboxSelectMultiple,
    )
    crossovers = forms.BooleanField(required=False, label="Hide crossovers (works in more than one fandom)")

    def __init__(self, *args, exclusions: Exclusions | None = None, **kwargs):
        if exclusions is not None and "initial" not in kwargs:
            names = Tag.objects.filter(pk__in=exclusions.tag_ids).order_by("name").values_list("name", flat=True)
            kwargs["initial"] = {
                "tags": ", ".join(names),
                "rating_cap": exclusions.rating_cap,
                "warnings": [choice.value for choice in from_flags(Warning, exclusions.warnings)],
                "crossovers": exclusions.crossovers,
            }
        super().__init__(*args, **kwargs)

    def clean_tags(self) -> list[int]:
        names = [name.strip() for name in self.cleaned_data["tags"].split(",") if name.strip()]
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(f"Exclude at most {MAX_TAGS} tags.")
        keys = {name: (match_key(name), match_key(name, relationship=True)) for name in names}
        found = {
            tag.match_key: tag for tag in Tag.objects.filter(match_key__in=[k for ks in keys.values() for k in ks])
        }
        unknown = [name for name, (plain, ship) in keys.items() if plain not in found and ship not in found]
        if unknown:
            raise forms.ValidationError(f"There is no tag called {', '.join(f'“{name}”' for name in unknown)}.")
        ids = [(found.get(plain) or found[ship]).filter_id for plain, ship in keys.values()]
        return list(dict.fromkeys(ids))

    def exclusions(self, *, muted_ids=()) -> Exclusions:
        data = self.cleaned_data
        return Exclusions(
            tag_ids=tuple(data["tags"]),
            rating_cap=data["rating_cap"],
            warnings=to_flags(data["warnings"]),
            crossovers=data["crossovers"],
            muted_ids=tuple(muted_ids),
        )
