from django.contrib import admin

from conet.practices.models import (
    ApproachText,
    Attachment,
    GoodPractice,
    Guide,
    GuideChapter,
    Interview,
    InterviewAnswer,
    LabelAssessment,
)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


class LabelAssessmentInline(admin.TabularInline):
    model = LabelAssessment
    extra = 0


@admin.register(GoodPractice)
class GoodPracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "city_name", "country_code", "status", "network", "updated_at"]
    list_filter = ["status", "country_code", "network"]
    list_select_related = ["network"]
    search_fields = ["name", "city_name", "description", "source_key"]
    readonly_fields = ["source_key", "version"]
    filter_horizontal = ["core_tasks"]
    inlines = [AttachmentInline, LabelAssessmentInline]


class InterviewAnswerInline(admin.StackedInline):
    model = InterviewAnswer
    extra = 0


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["person_name", "person_role", "network", "status", "consent_to_publish"]
    list_filter = ["status", "consent_to_publish", "is_demo", "network"]
    list_select_related = ["network"]
    inlines = [InterviewAnswerInline]


@admin.register(ApproachText)
class ApproachTextAdmin(admin.ModelAdmin):
    list_display = ["title", "core_task", "language", "updated_at"]
    list_select_related = ["core_task__network"]


class GuideChapterInline(admin.TabularInline):
    model = GuideChapter
    extra = 0
    fields = ["core_task", "introduction"]


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "status", "version", "updated_at"]
    list_select_related = ["network"]
    inlines = [GuideChapterInline]
