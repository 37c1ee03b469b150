import re

from django import forms
from django.core.exceptions import ValidationError

from archive.core.prose import strip_controls
from archive.tags.models import MAX_TAG_LENGTH

FORBIDDEN = re.compile(r"[*<>^{}=`]")


class TagListField(forms.CharField):
    """Comma-separated tags, as fans type them: trimmed, duplicates merged whatever their case."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Separate tags with commas.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(tag) for tag in value)
        return value

    def to_python(self, value) -> list[str]:
        value = super().to_python(value)
        tags: list[str] = []
        seen: set[str] = set()
        for raw in strip_controls(value).split(","):
            name = " ".join(raw.split())
            if name and name.lower() not in seen:
                seen.add(name.lower())
                tags.append(name)
        return tags

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        errors = []
        for name in value:
            if len(name) > MAX_TAG_LENGTH:
                errors.append(
                    ValidationError(
                        f"“{name[:40]}…” is {len(name)} characters long; a tag may have at most {MAX_TAG_LENGTH}.",
                        code="tag_too_long",
                    )
                )
            if FORBIDDEN.search(name):
                errors.append(
                    ValidationError(
                        f"“{name}” contains a character tags can't use (* < > ^ {{ }} = or `).",
                        code="tag_forbidden_character",
                    )
                )
        if errors:
            raise ValidationError(errors)
