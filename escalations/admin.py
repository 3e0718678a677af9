from django.contrib import admin

from .models import GuidanceSection, WorkedExample


@admin.register(GuidanceSection)
class GuidanceSectionAdmin(admin.ModelAdmin):
    list_display = ("title", "key", "order")


@admin.register(WorkedExample)
class WorkedExampleAdmin(admin.ModelAdmin):
    list_display = ("scenario", "group", "kind", "expected_targets")
    list_select_related = ("group",)
