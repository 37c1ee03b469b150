from django.contrib import admin

from archive.search.models import SavedSearch
from archive.search.services import update_saved_search


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "tag", "alerts", "created_at"]
    list_select_related = ["user", "tag"]
    raw_id_fields = ["user", "tag"]
    # The search itself, and what alerts look it up by, are set when it is saved (services.save_search).
    readonly_fields = ["user", "tag", "query", "required_ids", "text_query", "created_at"]
    fields = ["name", "alerts", *readonly_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        update_saved_search(saved=obj, name=obj.name, alerts=obj.alerts)
