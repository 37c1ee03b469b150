from django.contrib import admin

from archive.core.admin import CleanProseAdmin
from archive.profiles.models import Profile


@admin.register(Profile)
class ProfileAdmin(CleanProseAdmin):
    prose_fields = ("about",)
    list_display = ["user", "display_name", "pronouns", "updated_at"]
    search_fields = ["user__username", "display_name"]
    raw_id_fields = ["user"]
