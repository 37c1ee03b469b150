from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from archive.accounts.forms import AdminLogInForm
from archive.accounts.models import User

# The admin's log-in counts failures like the site's: a staff password is the one most worth guessing.
admin.site.login_form = AdminLogInForm


@admin.register(User)
class ArchiveUserAdmin(UserAdmin):
    """Django's user admin; deleting an account recounts the works its comments, kudos and
    bookmarks counted in (`delete_user`)."""

    def save_model(self, request, obj: User, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "username" in form.changed_data:
            from archive.caching import versions

            versions.changed(everything=True)  # the name is on every page of their works and comments

    def delete_model(self, request, obj: User) -> None:
        from archive.stories.services import delete_user  # stories build on accounts

        delete_user(user=obj)

    def delete_queryset(self, request, queryset) -> None:
        for user in queryset:
            self.delete_model(request, user)
