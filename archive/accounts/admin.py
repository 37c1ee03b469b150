from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from archive.accounts.forms import AdminLogInForm
from archive.accounts.models import User

# The admin's log-in counts failures like the site's: a staff password is the one most worth guessing.
admin.site.login_form = AdminLogInForm
admin.site.register(User, UserAdmin)
