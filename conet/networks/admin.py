from django.contrib import admin

from conet.networks.models import City, CoreTask, FactSheet, Network, Organisation, Partnership


class PartnershipInline(admin.TabularInline):
    model = Partnership
    extra = 0
    autocomplete_fields = ["city"]


class CoreTaskInline(admin.TabularInline):
    model = CoreTask
    extra = 0


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "status", "start_date", "end_date"]
    list_filter = ["status"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["acronym"]}
    inlines = [PartnershipInline, CoreTaskInline]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "population"]
    list_filter = ["country"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "city_name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FactSheet)
class FactSheetAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "start_date", "end_date", "network"]
    list_filter = ["organisation"]
    search_fields = ["title"]
