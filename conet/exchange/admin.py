from django.contrib import admin

from conet.exchange.models import (
    Availability,
    ExpertInvitation,
    ExpertProfile,
    SupportRequest,
    TransferItem,
    Visit,
    VisitReport,
)


class AvailabilityInline(admin.TabularInline):
    model = Availability
    extra = 0


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "headline", "languages", "is_available", "updated_at"]
    list_select_related = ["user"]
    search_fields = ["user__name", "user__email", "headline", "skills"]
    inlines = [AvailabilityInline]


class InvitationInline(admin.TabularInline):
    model = ExpertInvitation
    extra = 0
    raw_id_fields = ["expert", "invited_by"]


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["partnership__city", "partnership__network"]
    search_fields = ["title", "project", "know_how"]
    raw_id_fields = ["plan_action", "created_by"]
    inlines = [InvitationInline]


class TransferItemInline(admin.TabularInline):
    model = TransferItem
    extra = 0
    raw_id_fields = ["action"]


@admin.register(VisitReport)
class VisitReportAdmin(admin.ModelAdmin):
    list_display = ["visit", "side", "author", "submitted_at"]
    inlines = [TransferItemInline]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["request", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    raw_id_fields = ["request", "meeting"]
