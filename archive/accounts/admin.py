from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from archive.accounts.forms import AdminLogInForm
from archive.accounts.models import User
from archive.accounts.services import ORPHAN_ACCOUNT

# The admin's log-in counts failures like the site's: a staff password is the one most worth guessing.
admin.site.login_form = AdminLogInForm


@admin.register(User)
class ArchiveUserAdmin(UserAdmin):
    """Django's user admin; deleting an account orphans its works and recounts every work its
    kudos and bookmarks counted in (`delete_account`), as the account holder's own deletion does."""

    def save_model(self, request, obj: User, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "username" in form.changed_data:
            from archive.caching import versions

            versions.changed(everything=True)  # the name is on every page of their works and comments

    def has_delete_permission(self, request, obj: User | None = None) -> bool:
        # It keeps every orphaned work.
        return super().has_delete_permission(request, obj) and not (obj and obj.username == ORPHAN_ACCOUNT)

    def delete_model(self, request, obj: User) -> None:
        from archive.publishing.account_deletion import Works, delete_account  # publishing builds on accounts

        delete_account(user=obj, works=Works.ORPHAN)

    def delete_queryset(self, request, queryset) -> None:
        for user in queryset:
            self.delete_model(request, user)
