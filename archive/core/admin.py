"""What every admin page shares: HTML fields cleaned as the site's own forms clean them.

The admin is a writer like any other: it changes rows through the services (each app's admin.py
says how), and the HTML staff type is cleaned by the same sanitizer (archive/core/prose.py), so
nothing typed in /admin/ reaches a reader unsanitized.
"""

from django.contrib import admin

from archive.core.models import OutgoingEmail
from archive.core.prose import clean_prose


class CleanProseAdmin(admin.ModelAdmin):
    """A model admin whose `prose_fields` (user HTML) are cleaned with `clean_prose` on save."""

    prose_fields: tuple[str, ...] = ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        prose_fields = self.prose_fields

        class CleanedForm(form):
            def clean(self):
                cleaned = super().clean()
                for name in prose_fields:
                    if cleaned.get(name):
                        cleaned[name] = clean_prose(cleaned[name])
                return cleaned

        return CleanedForm


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The e-mail outbox, to see what waits and what failed; sending is the jobs' (read-only)."""

    list_display = ["subject", "address", "created_at", "sent_at", "attempts"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["address", "key"]
    ordering = ["-pk"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
