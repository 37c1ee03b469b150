"""Series in the admin: staff may correct a series' title, summary and notes (saved by
`update_series`, so every work page naming it changes) and delete it through `delete_series`.
Works join, leave and move through their authors' forms, which keep positions 1..n."""

from django.contrib import admin

from archive.core.admin import CleanProseAdmin
from archive.series.models import Series
from archive.series.services import delete_series, update_series


@admin.register(Series)
class SeriesAdmin(CleanProseAdmin):
    list_display = ["title", "complete", "updated_at"]
    search_fields = ["title", "creators__username"]
    fields = ["title", "summary", "notes", "complete", "created_at", "updated_at"]
    readonly_fields = ["created_at", "updated_at"]
    prose_fields = ("summary", "notes")

    def has_add_permission(self, request) -> bool:
        return False  # made by authors, from a work's form

    def save_model(self, request, obj: Series, form, change: bool) -> None:
        update_series(series=obj, fields={name: form.cleaned_data[name] for name in form.changed_data})

    def delete_model(self, request, obj: Series) -> None:
        delete_series(series=obj)

    def delete_queryset(self, request, queryset) -> None:
        for series in queryset:
            delete_series(series=series)
