from django.contrib import admin

from conet.consultations.models import Consultation, OpinionResult, Statement


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 0
    fields = ["number", "text", "status", "moderation_reason", "is_seed"]
    readonly_fields = ["number"]
    show_change_link = True


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["question", "city", "network", "opens_at", "closes_at", "moderation"]
    list_filter = ["moderation", "city"]
    search_fields = ["question", "slug"]
    autocomplete_fields = ["city"]
    readonly_fields = ["votes_cast", "version"]
    inlines = [StatementInline]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["number", "text", "consultation", "status", "is_seed", "created_at"]
    list_filter = ["status", "is_seed"]
    search_fields = ["text"]
    raw_id_fields = ["consultation", "author", "moderated_by"]


@admin.register(OpinionResult)
class OpinionResultAdmin(admin.ModelAdmin):
    list_display = [
        "consultation",
        "computed_at",
        "votes_used",
        "participants_placed",
        "group_count",
        "seconds",
    ]
    readonly_fields = [field.name for field in OpinionResult._meta.fields]
    exclude = ["data"]
