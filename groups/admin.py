from concurrency.compat import concurrency_param_name
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F

from changelog.services import paused
from core import clock
from core.admin import StaleEditRefused, SuperuserAddsAndDeletes, VersionCheckedForm

from .enums import Status
from .models import (
    GovernanceGroup,
    Level,
    Mailbox,
    SourceNote,
    StatusChange,
    Workstream,
)
from .services import (
    change_group_status,
    group_add,
    mailbox_change,
    status_change_errors,
    status_change_withdraw,
)

STATUS_FIELDS = ("status", "status_note", "status_effective_from")
CORRECTION_FIELDS = ("corrects_record", "correction_reason")


class StatusTodayFilter(admin.SimpleListFilter):
    """The status that holds today, not the row as last saved."""

    title = "status today"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(status_today=self.value())


class GroupStatusForm(VersionCheckedForm):
    """A group's status change, checked before it is saved: from today or later, with its
    own note; a superuser's correction of the past only with the box ticked and a reason.
    ``user`` is set on the class by the admin that builds it, and for the group list the
    version each row was shown with (a stale row is refused as such when it is saved)."""

    user = None
    listed_versions: dict[str, str] | None = None  # row pk: version, as posted

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or not (
            set(self.changed_data) & {*STATUS_FIELDS, *CORRECTION_FIELDS}
        ):
            return cleaned
        if self.listed_versions is not None and (
            self.listed_versions.get(str(self.instance.pk)) != str(self.instance.version)
        ):
            return cleaned
        if cleaned.get("corrects_record") and not cleaned.get("correction_reason", "").strip():
            self.add_error("correction_reason", "Say why the record is corrected.")
            return cleaned
        if "status" not in cleaned or "status_note" not in cleaned:
            return cleaned  # already refused field by field
        today = clock.today()
        errors = status_change_errors(
            group=self.instance,
            status=cleaned["status"],
            note=cleaned["status_note"],
            effective_from=cleaned.get("status_effective_from") or today,
            today=today,
            by=self.user,
            correction_reason=self.correction_reason(),
        )
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)
        return cleaned

    def correction_reason(self) -> str:
        if not self.cleaned_data.get("corrects_record"):
            return ""
        return self.cleaned_data.get("correction_reason", "").strip()


class GroupListRowForm(GroupStatusForm):
    """A row of the group list: the list has a column heading but no label per field, so
    each editable field is named for screen readers ("Status of PSG")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in STATUS_FIELDS:
            if name in self.fields:
                label = self.fields[name].label or name.replace("_", " ")
                self.fields[name].widget.attrs["aria-label"] = (
                    f"{label} of {self.instance.short_name}"
                )


class GroupCorrectionForm(GroupStatusForm):
    """The change form for a superuser: may also correct the record of the past."""

    corrects_record = forms.BooleanField(
        label="This corrects the record",
        required=False,
        help_text="Tick only to correct what the record says about the past: the status "
        "then holds from the date given, even before today. The change log shows it as a "
        "correction.",
    )
    correction_reason = forms.CharField(
        label="Why the record is corrected",
        required=False,
        max_length=300,
        help_text="Required with the box ticked; shown with the correction.",
    )


def can_change_everything(request, model=GovernanceGroup):
    return request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")


# A status change as the admin shows it, in the group's inline and in its own list.
STATUS_CHANGE_FIELDS = (
    "changed_at",
    "effective_from",
    "changed_by",
    "from_status",
    "to_status",
    "note",
    "correction_reason",
)


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = STATUS_CHANGE_FIELDS
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
        "field",
        "assumption",
        "primary_source",
        "primary_statement",
        "other_source",
        "other_statement",
        "explanation",
    )


class GovernanceGroupAdmin(StaleEditRefused, SuperuserAddsAndDeletes, admin.ModelAdmin):
    """The group admin. Registered by the directory app, which adds the meetings inline."""

    # Narrow enough for 1280 px with the editable status, note and date in view.
    list_display = (
        "acronym",
        "name",
        "level",
        "status",
        "status_note",
        "status_effective_from",
        "announced",
    )
    list_display_links = ("acronym", "name")
    list_editable = STATUS_FIELDS
    list_filter = ("level", "workstream", StatusTodayFilter, "kind", "attendance")
    actions = ["withdraw_announced_status"]
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
                    "announced",
                    "status_changed_at",
                    "version",
                ),
                "description": "The status that holds today. To announce a change, give the "
                "new status, its own note and the date it takes effect (today or later): it "
                "takes over on that date. An announced change can be withdrawn before then "
                "with the group list's action.",
            },
        ),
        ("Identity", {"fields": ("name", "acronym", "slug", "kind", "source_names")}),
        (
            "Place in the structure",
            {
                "fields": (
                    "level",
                    "level_note",
                    "band",
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
            return ("status_changed_at", "announced")
        every_field = [f for _, opts in self.fieldsets for f in opts["fields"]]
        return [f for f in every_field if f not in (*STATUS_FIELDS, "version")]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not request.user.is_superuser:
            return fieldsets
        (name, options), *rest = fieldsets
        fields = (*options["fields"], *CORRECTION_FIELDS)
        return [(name, {**options, "fields": fields}), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = GroupCorrectionForm if request.user.is_superuser else GroupStatusForm
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_changelist_form(self, request, **kwargs):
        kwargs["form"] = GroupListRowForm
        form = super().get_changelist_form(request, **kwargs)
        form.user = request.user
        prefix = f"{concurrency_param_name}_"
        form.listed_versions = {
            key.removeprefix(prefix): value
            for key, value in request.POST.items()
            if key.startswith(prefix)
        }
        return form

    @admin.display(description="Announced")
    def announced(self, obj):
        coming = obj.scheduled_status
        if coming is None:
            return "None"
        return f"From {coming.effective_from:%-d %B %Y}: {coming.label}"

    def has_change_group_status_permission(self, request):
        return self.has_change_permission(request)

    @admin.action(
        description="Withdraw the next announced status change of the selected groups",
        permissions=["change_group_status"],
    )
    def withdraw_announced_status(self, request, queryset):
        today = clock.today()
        for group in queryset:
            change = (
                group.status_changes.filter(effective_from__gt=today)
                .order_by("effective_from", "changed_at", "pk")
                .first()
            )
            if change is None:
                self.message_user(
                    request, f"{group.short_name} has no announced status change.", messages.WARNING
                )
                continue
            try:
                status_change_withdraw(change=change, by=request.user, at=clock.now())
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                continue
            self.message_user(
                request,
                f"{group.short_name}: the change to “{Status(change.to_status).label}” from "
                f"{change.effective_from:%-d %B %Y} was withdrawn.",
                messages.SUCCESS,
            )

    def get_inlines(self, request, obj):
        if can_change_everything(request):
            return self.inlines
        return [i for i in self.inlines if i in self.inlines_for_status_editors]

    def has_change_permission(self, request, obj=None):
        return can_change_everything(request) or request.user.has_perm("groups.change_group_status")

    def delete_model(self, request, obj):
        # Its meetings go with it: their removal is not news of its own.
        with paused():
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with paused():
            super().delete_queryset(request, queryset)

    def write(self, request, obj, form, change):
        if not change:
            group_add(group=obj, by=request.user, at=clock.now())
            return
        correction = form.correction_reason() if isinstance(form, GroupStatusForm) else ""
        change_group_status(
            group=obj,
            status=obj.status,
            note=obj.status_note,
            by=request.user,
            at=clock.now(),
            correction_reason=correction,
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


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("group", *STATUS_CHANGE_FIELDS)
    list_filter = ("to_status",)
    list_select_related = ("group", "changed_by")
    date_hierarchy = "changed_at"
