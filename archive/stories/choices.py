"""The fixed lists of the archive: ratings, archive warnings, categories, languages.

Warnings and categories are sets of flags stored as one small integer (a bit each): filterable
on PostgreSQL and SQLite alike, one column to index, constrained in the database.
"""

from django.db import models


class Rating(models.TextChoices):
    NOT_RATED = "not_rated", "Not Rated"
    GENERAL = "general", "General Audiences"
    TEEN = "teen", "Teen And Up Audiences"
    MATURE = "mature", "Mature"
    EXPLICIT = "explicit", "Explicit"


# The ratings a reader is warned about before a work's text, as on the Archive of Our Own: an
# author who chose no rating may have written anything.
ADULT_RATINGS = frozenset({Rating.NOT_RATED, Rating.MATURE, Rating.EXPLICIT})


# A work's rating is also one of its filter ids (archive/tags/filtering.py explains filter ids),
# so "this fandom, rated Teen" is one GIN probe that intersects both lists, not a probe plus a
# scan of every Teen work.
IN_RATING = 3 << 40


def rating_filter_id(rating: str) -> int:
    return IN_RATING + Rating.values.index(rating)


# "Only show to registered users" is a filter id too: logged-out lists exclude it in the same
# index scan that serves them, rather than checking a column on every row.
RESTRICTED_FILTER_ID = 4 << 40

# Each archive warning a work carries, and "a crossover" (two fandoms or more), are filter ids as
# well: a reader's saved exclusions (tags, ratings, warnings, crossovers) then make one
# `NOT (filter_ids && ...)` test, which the listing indexes answer from the index alone (they
# carry filter_ids), where a test on the warnings column made PostgreSQL read every row.
IN_WARNING = 5 << 40
CROSSOVER_FILTER_ID = 6 << 40


def warning_filter_ids(warnings: int) -> list[int]:
    """The filter ids of these warning flags (a warning's id is IN_WARNING plus its bit)."""
    return [IN_WARNING + flag for flag in Warning.values if warnings & flag]


def work_filter_ids(*, rating: str, warnings: int, restricted: bool, fandom_count: int) -> list[int]:
    """The filter ids a work carries for its rating, warnings, privacy and crossing fandoms."""
    ids = [rating_filter_id(rating), *warning_filter_ids(warnings)]
    if restricted:
        ids.append(RESTRICTED_FILTER_ID)
    if fandom_count >= 2:
        ids.append(CROSSOVER_FILTER_ID)
    return ids


class CommentPermission(models.TextChoices):
    EVERYONE = "everyone", "Registered users and guests can comment"
    REGISTERED = "registered", "Only registered users can comment"
    OFF = "off", "No one can comment"


class Warning(models.IntegerChoices):  # noqa: A001 - the archive's word for it
    CHOSE_NOT_TO_USE = 1, "Creator Chose Not To Use Archive Warnings"
    VIOLENCE = 2, "Graphic Depictions Of Violence"
    MAJOR_CHARACTER_DEATH = 4, "Major Character Death"
    NONE_APPLY = 8, "No Archive Warnings Apply"
    NONCON = 16, "Rape/Non-Con"
    UNDERAGE = 32, "Underage"


class Category(models.IntegerChoices):
    FF = 1, "F/F"
    FM = 2, "F/M"
    GEN = 4, "Gen"
    MM = 8, "M/M"
    MULTI = 16, "Multi"
    OTHER = 32, "Other"


def all_flags(choices: type[models.IntegerChoices]) -> int:
    return sum(choices.values)


def to_flags(values) -> int:
    return sum({int(value) for value in values})


def from_flags(choices: type[models.IntegerChoices], flags: int) -> list[models.IntegerChoices]:
    return [choice for choice in choices if flags & choice.value]


LANGUAGES = [
    ("en", "English"),
    ("ar", "العربية"),
    ("cs", "Čeština"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("id", "Bahasa Indonesia"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt-br", "Português brasileiro"),
    ("pt-pt", "Português europeu"),
    ("ru", "Русский"),
    ("sv", "Svenska"),
    ("th", "ภาษาไทย"),
    ("tl", "Filipino"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文"),
]
RTL_LANGUAGES = {"ar", "fa", "he"}
