from django.contrib import admin

from conet.monitoring.models import (
    Area,
    AreaLevel,
    CompositeIndex,
    IndexComponent,
    IndexResult,
    Indicator,
    Observation,
)


@admin.register(AreaLevel)
class AreaLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "city", "position"]
    list_filter = ["city"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "city"]
    list_filter = ["city", "level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    list_select_related = ["level", "city"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "city", "higher_is_worse"]
    list_filter = ["city"]
    search_fields = ["code", "name"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["indicator", "area", "period", "value"]
    list_filter = ["period"]
    search_fields = ["area__code", "indicator__code"]
    raw_id_fields = ["indicator", "area"]
    list_select_related = ["indicator", "area"]


class IndexComponentInline(admin.TabularInline):
    model = IndexComponent
    extra = 0
    raw_id_fields = ["indicator"]


@admin.register(CompositeIndex)
class CompositeIndexAdmin(admin.ModelAdmin):
    """Read here; define through the monitoring pages or the API, which recompute the results."""

    list_display = ["code", "name", "method", "city"]
    list_filter = ["city", "method"]
    inlines = [IndexComponentInline]


@admin.register(IndexResult)
class IndexResultAdmin(admin.ModelAdmin):
    list_display = ["index", "area", "period", "score", "rank", "class_label"]
    list_filter = ["period"]
    raw_id_fields = ["index", "area"]
    list_select_related = ["index", "area"]
