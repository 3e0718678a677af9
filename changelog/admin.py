from django.contrib import admin

from . import kinds
from .models import ChangeEntry


class KindFilter(admin.SimpleListFilter):
    """The kinds every app registered (the column has no choices of its own)."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kinds.all_kinds()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(ChangeEntry)
class ChangeEntryAdmin(admin.ModelAdmin):
    """A record of what happened: seen in the admin, never added, changed or deleted."""

    list_display = ("visible_at", "recorded_at", "kind", "group_name", "summary", "by")
    list_filter = (KindFilter,)
    list_select_related = ("by",)
    search_fields = ("summary", "before", "after", "group_slug", "group_name")
    date_hierarchy = "visible_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
