from django import forms
from django.contrib import admin
from django.db.models import F

from core import clock
from core.admin import StaleEditRefused, SuperuserAddsAndDeletes

from . import changelog
from .models import (
    ChangeEntry,
    GovernanceGroup,
    Level,
    Mailbox,
    SourceNote,
    StatusChange,
    Workstream,
)
from .services import change_group_status, group_add, mailbox_change

STATUS_FIELDS = ("status", "status_note", "status_effective_from")


def can_change_everything(request, model=GovernanceGroup):
    return request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ("changed_at", "effective_from", "changed_by", "from_status", "to_status", "note")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "status history"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SourceNoteInline(admin.StackedInline):
    model = SourceNote
    extra = 0
    fields = (
        "slug",
        "kind",
        "fact",
        "primary_source",
        "primary_statement",
        "other_source",
        "other_statement",
        "explanation",
    )


class GovernanceGroupAdmin(StaleEditRefused, SuperuserAddsAndDeletes, admin.ModelAdmin):
    """The group admin. Registered by the directory app, which adds the meetings inline."""

    # Narrow enough for 1280 px with the editable status, note and date in view.
    list_display = ("acronym", "name", "level", "status", "status_note", "status_effective_from")
    list_display_links = ("acronym", "name")
    list_editable = STATUS_FIELDS
    list_filter = ("level", "workstream", "status", "kind", "attendance")
    list_select_related = ("level", "workstream")
    search_fields = ("acronym", "name", "purpose", "attendees")
    ordering = (F("level__number").asc(nulls_last=True), "name")
    save_on_top = True
    fieldsets = [
        (
            "Status",
            {
                "fields": (
                    "status",
                    "status_note",
                    "status_effective_from",
                    "status_changed_at",
                    "version",
                )
            },
        ),
        ("Identity", {"fields": ("name", "acronym", "slug", "kind")}),
        (
            "Place in the structure",
            {
                "fields": (
                    "level",
                    "level_note",
                    "workstream",
                    "workstream_note",
                    "parent",
                    "replaced_by",
                    "replacement_note",
                ),
            },
        ),
        (
            "What the group does",
            {
                "fields": (
                    "purpose",
                    "attendees",
                    "attendance",
                    "decision_making",
                    "constituency_representatives",
                    "timeframe",
                ),
            },
        ),
    ]
    filter_horizontal = ("replaced_by",)
    inlines = [StatusChangeInline, SourceNoteInline]
    # Inlines the Programme office sees, read-only, besides the status history.
    inlines_for_status_editors = (StatusChangeInline,)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "status_note":  # a public note: room to write it, in list and form
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 36})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if can_change_everything(request):
            return ("status_changed_at",)
        every_field = [f for _, opts in self.fieldsets for f in opts["fields"]]
        return [f for f in every_field if f not in (*STATUS_FIELDS, "version")]

    def get_inlines(self, request, obj):
        if can_change_everything(request):
            return self.inlines
        return [i for i in self.inlines if i in self.inlines_for_status_editors]

    def has_change_permission(self, request, obj=None):
        return can_change_everything(request) or request.user.has_perm("groups.change_group_status")

    def delete_model(self, request, obj):
        # Its meetings go with it: their removal is not news of its own.
        with changelog.paused():
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with changelog.paused():
            super().delete_queryset(request, queryset)

    def write(self, request, obj, form, change):
        if not change:
            group_add(group=obj, by=request.user, at=clock.now())
            return
        change_group_status(
            group=obj, status=obj.status, note=obj.status_note, by=request.user, at=clock.now()
        )


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "description")


@admin.register(Mailbox)
class MailboxAdmin(StaleEditRefused, admin.ModelAdmin):
    list_display = ("name", "address", "purpose")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "address", "purpose", "source", "order", "version")

    def write(self, request, obj, form, change):
        mailbox_change(mailbox=obj, by=request.user, at=clock.now())


@admin.register(Workstream)
class WorkstreamAdmin(admin.ModelAdmin):
    list_display = ("name", "mailbox", "order")
    list_select_related = ("mailbox",)


@admin.register(SourceNote)
class SourceNoteAdmin(admin.ModelAdmin):
    list_display = ("slug", "group", "kind", "fact")
    list_filter = ("kind",)
    list_select_related = ("group",)
    search_fields = ("slug", "fact", "explanation", "primary_statement", "other_statement")


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record of what happened: seen in the admin, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeEntry)
class ChangeEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "group", "summary", "by")
    list_filter = ("kind",)
    list_select_related = ("group", "by")
    search_fields = ("summary", "before", "after")
    date_hierarchy = "at"


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = (
        "group",
        "changed_at",
        "effective_from",
        "changed_by",
        "from_status",
        "to_status",
        "note",
    )
    list_filter = ("to_status",)
    list_select_related = ("group", "changed_by")
    date_hierarchy = "changed_at"
