from django.contrib import admin

from conet.workshops.models import (
    Card,
    Cluster,
    Participant,
    Phase,
    Proposal,
    Table,
    Workshop,
)


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = ["kind", "order", "state", "step", "time_box_minutes", "dots_per_person"]


class TableInline(admin.TabularInline):
    model = Table
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "city", "network", "starts_at", "status", "locked", "code"]
    list_filter = ["status", "locked", "language"]
    search_fields = ["title", "code", "guiding_question"]
    raw_id_fields = ["city", "network", "localgroup", "created_by"]
    filter_horizontal = ["facilitators"]
    readonly_fields = ["code", "last_event_seq"]
    inlines = [PhaseInline, TableInline]


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["text", "workshop", "phase", "table", "hidden", "created_at"]
    list_filter = ["hidden", "phase__kind"]
    search_fields = ["text"]
    raw_id_fields = ["workshop", "phase", "table", "participant", "cluster", "responds_to"]
    readonly_fields = ["client_id", "written_by", "hidden_by"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "workshop", "phase", "table", "suggested", "chosen"]
    raw_id_fields = ["workshop", "phase", "table"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["__str__", "workshop", "table", "removed", "joined_at"]
    list_filter = ["removed", "anonymous"]
    raw_id_fields = ["workshop", "table", "user"]
    exclude = ["token_hash"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "workshop", "action"]
    raw_id_fields = ["workshop", "cluster", "table", "action", "created_by_participant"]
