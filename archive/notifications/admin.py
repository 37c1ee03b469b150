from django.contrib import admin

from archive.notifications.models import Notification, Preferences, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "story", "author", "tag", "created_at"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "story", "author", "tag"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["text", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["recipient__username", "text"]
    raw_id_fields = ["recipient", "story"]


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
