from django.contrib import admin

from conet.localgroups.models import LocalSupportGroup, Stakeholder


class StakeholderInline(admin.TabularInline):
    model = Stakeholder
    extra = 0


@admin.register(LocalSupportGroup)
class LocalSupportGroupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "updated_at"]
    list_select_related = ["partnership__city", "partnership__network"]
    inlines = [StakeholderInline]
