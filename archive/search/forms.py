from datetime import date

from django import forms
from django.http import QueryDict

from archive.discovery.filter_forms import WorkFilterForm
from archive.discovery.filtering import SORTS, WorkFilter
from archive.discovery.text import has_terms
from archive.stories.choices import LANGUAGES, Category, Warning, to_flags
from archive.stories.forms import TAG_FIELDS
from archive.tags.filtering import in_friendship, in_romance
from archive.tags.forms import TagListField
from archive.tags.models import Tag
from archive.tags.names import match_key

# Tags that must be main in the work (archive/tags/filtering.py `index_work`), by field.
MAIN_FIELDS = {"main_characters": Tag.Kind.CHARACTER, "main_relationships": Tag.Kind.RELATIONSHIP}

_REQUIRED_TAG_FIELDS = {**TAG_FIELDS, **MAIN_FIELDS}


def _required_keys(names_by_field) -> list[str]:
    keys = set()
    for field, kind in _REQUIRED_TAG_FIELDS.items():
        keys.update(match_key(name, relationship=kind == Tag.Kind.RELATIONSHIP) for name in names_by_field(field))
    return sorted(keys)


def searched_tags(query: QueryDict) -> list[str]:
    """The match keys of the tags a search's query string asks every work to have, read as the
    form reads them, without building it (the page cache asks this of every search it serves)."""
    field = TagListField()
    return _required_keys(lambda name: field.to_python(query.get(name, "")))


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
    series = forms.CharField(
        required=False, max_length=255, label="Series", help_text="Works in a series whose title has these words."
    )
    fandoms = TagListField(label="Fandoms")
    characters = TagListField(label="Characters", help_text="Works must have all of them.")
    character_mode = forms.ChoiceField(
        choices=CHARACTER_MODES, required=False, widget=forms.RadioSelect, label="Characters count when"
    )
    relationships = TagListField(label="Relationships")
    main_characters = TagListField(
        label="Main characters",
        help_text="Works that are about all of them, not just mentioning them (the modes above apply too).",
    )
    main_relationships = TagListField(
        label="Main relationships", help_text="Works whose main relationships include all of them."
    )
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
        # The work form's tag suggestions (static/js/tag-autocomplete.js); Enter still searches.
        for field, kind in {**TAG_FIELDS, **MAIN_FIELDS}.items():
            self.fields[field].widget.attrs["data-tag-kind"] = kind
        self.fields["excluded"].widget.attrs["data-tag-kind"] = ""

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
        ignored = {"sort", "order", "character_mode", "main_only"}
        return any(
            value not in (None, "", [], False) for name, value in self.cleaned_data.items() if name not in ignored
        )

    def tag_keys(self) -> dict[str, tuple[str, str]]:
        """Each tag name asked for (included or excluded): its match key, name and kind ("" = any)."""
        keys = {}
        for field, kind in {**TAG_FIELDS, **MAIN_FIELDS}.items():
            for name in self.value(field, []):
                keys[match_key(name, relationship=kind == Tag.Kind.RELATIONSHIP)] = (name, kind)
        for name in self.value("excluded", []):
            keys.setdefault(match_key(name), (name, ""))
            keys.setdefault(match_key(name, relationship=True), (name, ""))
        return keys

    def required_tag_keys(self) -> list[str]:
        """The match keys of the tags every work found must have (`searched_tags` of valid input)."""
        return _required_keys(lambda field: self.value(field, []))

    def search_filter(self, tags: dict[str, Tag]) -> tuple[WorkFilter, list[str]]:
        """The WorkFilter for these choices, given the tags found by match key; and unknown names."""
        wanted = self.work_filter()
        unknown: list[str] = []

        def find(name: str, kind: str) -> Tag | None:
            tag = tags.get(match_key(name, relationship=kind == Tag.Kind.RELATIONSHIP))
            return tag if tag and tag.kind == kind else None

        mode = self.value("character_mode", "tagged")
        for field, kind in {**TAG_FIELDS, **MAIN_FIELDS}.items():
            # A main character's modes ask the same of the work's main ids: "in a romantic
            # relationship" there is in one of its main relationships.
            # The sidebar's "only where it is main" makes the named characters and relationships main too.
            main = field in MAIN_FIELDS or (self.value("main_only", False) and kind in MAIN_FIELDS.values())
            all_of = wanted.main_all_of if main else wanted.all_of
            any_of = wanted.main_any_of if main else wanted.any_of
            for name in self.value(field, []):
                tag = find(name, kind)
                if tag is None:
                    unknown.append(name)
                elif kind == Tag.Kind.CHARACTER and mode == "ships":
                    any_of.append([tag.filter_id, in_romance(tag.filter_id), in_friendship(tag.filter_id)])
                elif kind == Tag.Kind.CHARACTER and mode == "romantic":
                    all_of.append(in_romance(tag.filter_id))
                elif kind == Tag.Kind.CHARACTER and mode == "platonic":
                    all_of.append(in_friendship(tag.filter_id))
                else:
                    all_of.append(tag.filter_id)
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

    def uses_more_options(self) -> bool:
        """Whether the reader filled (or got wrong) a field folded under "More options"."""
        if not self.is_bound:
            return False
        self.is_valid()
        shown = {"q", "characters", "character_mode", "relationships", "fandoms", "single_relationship"}
        shown |= MAIN_FIELDS.keys()
        return any(
            name not in shown and (name in self.errors or value not in (None, "", [], False))
            for name, value in [*self.cleaned_data.items(), *((name, None) for name in self.errors)]
            if name not in {"sort", "order", "include", "exclude", "exclude_rating", "with_ships", "main_only"}
        )

    def suggested_name(self) -> str:
        """A name for this search when it is saved: what was asked for, without the order."""
        return self.summary().split("; sorted by")[0][:100]

    def summary(self) -> str:
        """What the reader asked for, in one sentence, shown above the results."""
        asked = []
        text, title, author = self.value("q", "").strip(), self.value("title", "").strip(), self.value("author", "")
        if text:
            asked.append(f"matching “{text}”")
        if title:
            asked.append(f"titled “{title}”")
        if author:
            asked.append(f"by {author.strip()}")
        if series := self.value("series", "").strip():
            asked.append(f"in a series titled “{series}”")
        if fandoms := self.value("fandoms", []):
            asked.append(f"in {_and(fandoms)}")
        if characters := self.value("characters", []):
            mode = self.value("character_mode", "tagged")
            kind = {"romantic": "romantic ", "platonic": "platonic "}.get(mode, "")
            where = f" in {kind}relationships" if len(characters) > 1 else f" in a {kind}relationship"
            where = "" if mode == "tagged" else f", tagged or{where}" if mode == "ships" else where
            asked.append(f"with {_and(characters)}{where}")
        if relationships := self.value("relationships", []):
            asked.append(f"with the relationship{'s' if len(relationships) > 1 else ''} {_and(relationships)}")
        if self.value("main_only") and (self.value("characters") or self.value("relationships")):
            asked.append("only where they are main")
        if mains := self.value("main_characters", []):
            mode = self.value("character_mode", "tagged")
            kind = {"romantic": "romantic ", "platonic": "platonic "}.get(mode, "")
            where = {"tagged": "", "ships": ", tagged or in a main relationship"}.get(
                mode, f" in a main {kind}relationship"
            )
            asked.append(f"about {_and(mains)} as main character{'s' if len(mains) > 1 else ''}{where}")
        if main_ships := self.value("main_relationships", []):
            asked.append(f"with the main relationship{'s' if len(main_ships) > 1 else ''} {_and(main_ships)}")
        if self.value("single_relationship"):
            asked.append("with only one relationship")
        if freeforms := self.value("freeforms", []):
            asked.append(f"tagged {_and(freeforms)}")
        if excluded := self.value("excluded", []):
            asked.append(f"without {_or(excluded)}")
        labels = dict(self.fields["rating"].choices)
        if ratings := self.value("rating", []):
            asked.append(f"rated {_or([str(labels.get(rating, rating)) for rating in ratings])}")
        if warnings := self.value("warnings", []):
            asked.append(f"warned for {_and([str(Warning(value).label) for value in warnings])}")
        if categories := self.value("categories", []):
            asked.append(f"in the categories {_or([str(Category(value).label) for value in categories])}")
        complete = self.value("complete")
        if complete:
            asked.append("complete" if complete == "complete" else "still in progress")
        if self.value("single_chapter"):
            asked.append("in one chapter")
        low, high = self.value("words_from"), self.value("words_to")
        if low is not None and high is not None:
            asked.append(f"of {low:,} to {high:,} words")
        elif low is not None:
            asked.append(f"of at least {low:,} words")
        elif high is not None:
            asked.append(f"of at most {high:,} words")
        start, end = self.value("updated_from"), self.value("updated_to")
        if start:
            asked.append(f"updated since {start.isoformat()}")
        if end:
            asked.append(f"updated by {end.isoformat()}")
        if language := self.value("language"):
            asked.append(f"in {dict(self.fields['language'].choices).get(language, language)}")
        crossover = self.value("crossover")
        if crossover:
            asked.append("crossovers only" if crossover == "only" else "no crossovers")
        sort = self.value("sort", "updated")
        if sort == "best" and not has_terms(text):
            sort = "updated"  # no words to rank by (the view does the same)
        sort = dict(self.fields["sort"].choices).get(sort, "")
        order = ", ascending" if self.value("order") == "asc" else ""
        return f"Works {', '.join(asked) or 'of any kind'}; sorted by {str(sort).lower()}{order}."


def _listed(names: list[str], word: str) -> str:
    names = [str(name) for name in names]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


def _and(names: list[str]) -> str:
    return _listed(names, "and")


def _or(names: list[str]) -> str:
    return _listed(names, "or")


class SavedSearchForm(forms.Form):
    """Name a search and say whether to hear of new works that match it (save, or rename)."""

    name = forms.CharField(
        max_length=100,
        label="Name",
        help_text="So you know it again in your saved searches.",
        error_messages={"required": "Give the search a name."},
    )
    alerts = forms.BooleanField(
        required=False,
        label="Tell me about new works that match",
        help_text="In your inbox and by e-mail, as your notification preferences say.",
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class SaveSearchForm(SavedSearchForm):
    """ "Save this search" on the search page and tag pages: the search comes in hidden fields."""

    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    tag = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        tag_name = cleaned.get("tag", "").strip()
        if tag_name:
            tag = Tag.objects.named(tag_name).select_related("merger").first()
            if tag is None:
                raise forms.ValidationError("That tag no longer exists, so there is no search to save.")
            cleaned["tag"] = tag.merger or tag
        else:
            cleaned["tag"] = None
            search = WorkSearchForm(QueryDict(cleaned.get("query", "")))
            if not search.has_criteria() or search.errors:
                raise forms.ValidationError("There is nothing to save: search for something first.")
        return cleaned
