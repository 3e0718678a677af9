from django.contrib import admin

from meetings.admin import MeetingSeriesInline, SuperuserAddsAndDeletes

from .models import GovernanceGroup, Level, Mailbox, SourceNote, StatusChange, Workstream

STATUS_FIELDS = ("status", "status_note")


def can_change_everything(request, model=GovernanceGroup):
    return request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ("changed_at", "changed_by", "from_status", "to_status", "note")
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


@admin.register(GovernanceGroup)
class GovernanceGroupAdmin(SuperuserAddsAndDeletes, admin.ModelAdmin):
    list_display = (
        "acronym",
        "name",
        "level",
        "workstream",
        "status",
        "status_note",
        "status_changed_at",
    )
    list_display_links = ("acronym", "name")
    list_editable = STATUS_FIELDS
    list_filter = ("level", "workstream", "status", "kind", "attendance")
    list_select_related = ("level", "workstream")
    search_fields = ("acronym", "name", "purpose", "attendees")
    ordering = ("level__number", "name")
    save_on_top = True
    fieldsets = [
        ("Status", {"fields": ("status", "status_note", "status_changed_at")}),
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
    inlines = [MeetingSeriesInline, StatusChangeInline, SourceNoteInline]

    def get_readonly_fields(self, request, obj=None):
        if can_change_everything(request):
            return ("status_changed_at",)
        every_field = [f for _, opts in self.fieldsets for f in opts["fields"]]
        return [f for f in every_field if f not in STATUS_FIELDS]

    def get_inlines(self, request, obj):
        if can_change_everything(request):
            return self.inlines
        return [MeetingSeriesInline, StatusChangeInline]

    def has_change_permission(self, request, obj=None):
        return can_change_everything(request) or request.user.has_perm("groups.change_group_status")

    def save_model(self, request, obj, form, change):
        obj._changed_by = request.user  # recorded in the status history
        super().save_model(request, obj, form, change)


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "description")


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ("name", "address", "purpose")
    prepopulated_fields = {"slug": ("name",)}


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


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ("group", "changed_at", "changed_by", "from_status", "to_status", "note")
    list_filter = ("to_status",)
    list_select_related = ("group", "changed_by")
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
