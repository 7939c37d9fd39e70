from django.contrib import admin

from conet.meetings.models import AgendaItem, Meeting, MeetingDocument, Registration


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "kind", "host_city", "starts_at", "status"]
    list_filter = ["kind", "status", "network"]
    search_fields = ["title", "theme"]
    inlines = [AgendaItemInline]
    raw_id_fields = ["created_by", "local_group"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["meeting", "user", "status", "attended"]
    list_filter = ["status"]
    raw_id_fields = ["meeting", "user"]


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "content_type", "size"]
    raw_id_fields = ["meeting", "agenda_item", "uploaded_by"]
