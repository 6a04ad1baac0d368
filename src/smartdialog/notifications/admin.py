"""Read-only: templates and messages change only through the audited services and pages."""

from django.contrib import admin

from .models import MailTemplate, OutboundMessage


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MailTemplate)
class MailTemplateAdmin(ReadOnlyAdmin):
    list_display = ["key", "language", "edition", "updated_at", "updated_by"]
    list_filter = ["edition", "language"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "key", "to", "state", "attempts", "sent_at"]
    list_filter = ["state", "key", "edition"]
    search_fields = ["to", "subject"]
