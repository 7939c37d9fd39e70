from django.contrib import admin

from conet.follows.models import Follow


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    """Read-only: a follow is made by its owner's confirmation and ended by their link (or here)."""

    list_display = ["email", "kind", "network", "city", "partnership", "language", "confirmed_at"]
    list_filter = ["kind", "language"]
    search_fields = ["email"]
    readonly_fields = [field.name for field in Follow._meta.fields]

    def has_add_permission(self, request):
        return False
