from datetime import date

from django import forms

from archive.discovery.filter_forms import WorkFilterForm
from archive.discovery.filtering import SORTS, WorkFilter
from archive.discovery.text import has_terms
from archive.stories.choices import LANGUAGES, Category, Warning, to_flags
from archive.stories.forms import TAG_FIELDS
from archive.tags.filtering import in_friendship, in_romance
from archive.tags.forms import TagListField
from archive.tags.models import Tag
from archive.tags.names import match_key

CHARACTER_MODES = [
    ("tagged", "Tagged as a character"),
    ("ships", "…or in any relationship tag"),
    ("romantic", "In a romantic relationship (A/B)"),
    ("platonic", "In a platonic relationship (A & B)"),
]


# Bounds a reader can't meet in a real search, and that keep the dates' arithmetic (the day after
# "updated to") and the numbers inside what every database column holds.
MAX_WORDS = 1_000_000_000
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
DATE_INPUT = forms.DateInput(attrs={"type": "date", "min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()})


def _within_the_archives_dates(day: date) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise forms.ValidationError(f"Enter a date between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}.")


class WorkSearchForm(WorkFilterForm):
    """Every way to find works; all in the URL, so a search can be bookmarked and shared."""

    q = forms.CharField(
        required=False,
        max_length=200,
        label="Any field",
        help_text="Title, summary, notes, tags and authors. Use “quotes” for a phrase and a trailing * for a prefix.",
    )
    title = forms.CharField(required=False, max_length=255)
    author = forms.CharField(required=False, max_length=150, label="Author")
    fandoms = TagListField(label="Fandoms")
    characters = TagListField(label="Characters", help_text="Works must have all of them.")
    character_mode = forms.ChoiceField(
        choices=CHARACTER_MODES, required=False, widget=forms.RadioSelect, label="Characters count when"
    )
    relationships = TagListField(label="Relationships")
    single_relationship = forms.BooleanField(required=False, label="Only works with exactly one relationship")
    freeforms = TagListField(label="Additional tags")
    excluded = TagListField(label="Exclude tags", help_text="Works with any of these tags are left out.")
    warnings = forms.TypedMultipleChoiceField(
        choices=Warning.choices, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.TypedMultipleChoiceField(
        choices=Category.choices, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    complete = forms.ChoiceField(
        choices=[("", "All works"), ("complete", "Complete works only"), ("wip", "Works in progress only")],
        required=False,
        label="Completion",
    )
    single_chapter = forms.BooleanField(required=False, label="Single chapter only")
    words_from = forms.IntegerField(required=False, min_value=0, max_value=MAX_WORDS, label="Words from")
    words_to = forms.IntegerField(required=False, min_value=0, max_value=MAX_WORDS, label="Words to")
    updated_from = forms.DateField(
        required=False, label="Updated from", widget=DATE_INPUT, validators=[_within_the_archives_dates]
    )
    updated_to = forms.DateField(
        required=False, label="Updated to", widget=DATE_INPUT, validators=[_within_the_archives_dates]
    )
    language = forms.ChoiceField(choices=[("", "Any language"), *LANGUAGES], required=False)
    crossover = forms.ChoiceField(
        choices=[("", "Include crossovers"), ("exclude", "Exclude crossovers"), ("only", "Only crossovers")],
        required=False,
        label="Crossovers",
    )
    sort = forms.ChoiceField(
        choices=[("best", "Best match"), *[(key, label) for key, (_, label) in SORTS.items()]],
        required=False,
        label="Sort by",
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("sort"):
            # Say which order the results are in: best match for a text search, else newest.
            data = data.copy()
            data["sort"] = "best" if has_terms(data.get("q", "")) else "updated"
        super().__init__(data, *args, **kwargs)

    def clean_q(self) -> str:
        text = self.cleaned_data["q"]
        if text.strip() and not has_terms(text):
            raise forms.ValidationError("There is nothing to search for in that: type at least one word.")
        return text

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("words_from"), cleaned.get("words_to")
        if low is not None and high is not None and low > high:
            self.add_error("words_to", "“Words to” must not be less than “Words from”.")
        start, end = cleaned.get("updated_from"), cleaned.get("updated_to")
        if start and end and start > end:
            self.add_error("updated_to", "“Updated to” must not be before “Updated from”.")
        return cleaned

    def has_criteria(self) -> bool:
        """Whether the reader asked for anything: sorting alone is not a search."""
        if not self.is_bound:
            return False
        self.is_valid()
        ignored = {"sort", "order", "character_mode"}
        return any(
            value not in (None, "", [], False) for name, value in self.cleaned_data.items() if name not in ignored
        )

    def tag_keys(self) -> dict[str, tuple[str, str]]:
        """Each tag name asked for (included or excluded): its match key, name and kind ("" = any)."""
        keys = {}
        for field, kind in TAG_FIELDS.items():
            for name in self.value(field, []):
                keys[match_key(name, relationship=kind == Tag.Kind.RELATIONSHIP)] = (name, kind)
        for name in self.value("excluded", []):
            keys.setdefault(match_key(name), (name, ""))
            keys.setdefault(match_key(name, relationship=True), (name, ""))
        return keys

    def search_filter(self, tags: dict[str, Tag]) -> tuple[WorkFilter, list[str]]:
        """The WorkFilter for these choices, given the tags found by match key; and unknown names."""
        wanted = self.work_filter()
        unknown: list[str] = []

        def find(name: str, kind: str) -> Tag | None:
            tag = tags.get(match_key(name, relationship=kind == Tag.Kind.RELATIONSHIP))
            return tag if tag and tag.kind == kind else None

        mode = self.value("character_mode", "tagged")
        for field, kind in TAG_FIELDS.items():
            for name in self.value(field, []):
                tag = find(name, kind)
                if tag is None:
                    unknown.append(name)
                elif kind == Tag.Kind.CHARACTER and mode == "ships":
                    wanted.any_of.append([tag.filter_id, in_romance(tag.filter_id), in_friendship(tag.filter_id)])
                elif kind == Tag.Kind.CHARACTER and mode == "romantic":
                    wanted.all_of.append(in_romance(tag.filter_id))
                elif kind == Tag.Kind.CHARACTER and mode == "platonic":
                    wanted.all_of.append(in_friendship(tag.filter_id))
                else:
                    wanted.all_of.append(tag.filter_id)
        for name in self.value("excluded", []):
            tag = tags.get(match_key(name)) or tags.get(match_key(name, relationship=True))
            if tag:
                wanted.none_of.append(tag.filter_id)
        complete = self.value("complete")
        wanted.complete = {"complete": True, "wip": False}.get(complete)
        wanted.single_chapter = self.value("single_chapter", False)
        wanted.single_relationship = self.value("single_relationship", False)
        wanted.words_from, wanted.words_to = self.value("words_from"), self.value("words_to")
        wanted.updated_from, wanted.updated_to = self.value("updated_from"), self.value("updated_to")
        wanted.language = self.value("language", "")
        wanted.crossover = self.value("crossover", "")
        wanted.warnings = to_flags(self.value("warnings", []))
        wanted.categories = to_flags(self.value("categories", []))
        return wanted, unknown
