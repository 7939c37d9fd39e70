from django.contrib import admin

from conet.core import bottrap
from conet.core.models import ActivityEvent, BlockedClient


@admin.register(ActivityEvent)
class ActivityEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "scope_type", "scope_id", "actor", "public"]
    list_filter = ["kind", "public"]
    search_fields = ["text"]
    raw_id_fields = ["actor"]


@admin.action(description="Lift the block now")
def lift_block(modeladmin, request, queryset):
    for blocked in queryset:
        bottrap.unblock(blocked)


@admin.register(BlockedClient)
class BlockedClientAdmin(admin.ModelAdmin):
    list_display = ["created_at", "address", "reason", "path", "blocked_until"]
    list_filter = ["reason"]
    search_fields = ["address", "user_agent"]
    actions = [lift_block]
