from datetime import timedelta

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html

from core import clock
from core.admin import StaleEditRefused, SuperuserAddsAndDeletes, VersionCheckedForm
from groups.admin import GovernanceGroupAdmin
from groups.models import GovernanceGroup

from .enums import RULE_FIELDS, TIME_FIELDS, Frequency
from .models import Cancellation, MeetingSeries, Move, OneOffMeeting
from .recurrence import series_dates
from .services import (
    cancellation_delete,
    cancellation_save,
    known_from_errors,
    move_delete,
    move_save,
    one_off_delete,
    one_off_save,
    series_add,
    series_confirm_first_date,
    series_delete,
    series_reschedule,
    series_set_known_from,
)
from .validators import series_validate_first_date

# Confirming a series' first date, or setting its known-from date: the programme office's.
CONFIRM_DATES = "meetings.confirm_series_dates"

# A series' rule, in UK local time.
FORM_RULE_FIELDS = (
    "frequency",
    "ordinal",
    "weekday",
    "interval_weeks",
    "anchor_date",
    "start_time",
    "end_time",
    "valid_from",
    "valid_until",
)


def _saving(service, name):
    """``service`` (``cancellation_save(cancellation=..., by=...)``, say) called as
    ``save(obj, by)``."""
    return lambda obj, by: service(**{name: obj, "by": by})


# How the admin writes each model of single meetings: its save and its delete service.
WRITES = {
    Cancellation: (
        _saving(cancellation_save, "cancellation"),
        _saving(cancellation_delete, "cancellation"),
    ),
    Move: (_saving(move_save, "move"), _saving(move_delete, "move")),
    OneOffMeeting: (_saving(one_off_save, "meeting"), _saving(one_off_delete, "meeting")),
}


class WritesThroughServices:
    """A ModelAdmin of single meetings whose saves and deletes, one row or a bulk action,
    go through the services that log them (``WRITES``)."""

    def write(self, request, obj, form, change):
        save, _ = WRITES[self.model]
        save(obj, request.user)

    def delete_model(self, request, obj):
        _, delete = WRITES[self.model]
        delete(obj, request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        _, delete = WRITES[self.model]
        for obj in queryset:
            delete(obj, request.user)


class VersionedInline(admin.TabularInline):
    """An inline whose rows carry their version, so a stale row is refused."""

    form = VersionCheckedForm
    extra = 0


class MeetingSeriesInline(admin.TabularInline):
    """A group's series, on the group's admin page, to read: a schedule is changed on the
    series' own page, which asks from when the change takes effect."""

    model = MeetingSeries
    extra = 0
    show_change_link = True
    fields = ("slug", "title", *FORM_RULE_FIELDS, "schedule_text")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MeetingSeriesForm(VersionCheckedForm):
    takes_effect_from = forms.DateField(
        initial=clock.today,
        required=False,
        help_text="A change to the rule or the times applies to meetings on and after this "
        "UK date; meetings before it keep their dates and times. Blank: today.",
    )
    confirm_first_date = forms.DateField(
        required=False,
        label="Confirm the first meeting date",
        help_text="The programme office confirms the UK date of the series' first meeting: "
        "its dates are counted from it and are no longer tentative. A correction of the "
        "record, shown in the change log.",
    )
    corrects_record = forms.BooleanField(
        label="This corrects the record",
        required=False,
        help_text="Administrators only. Tick to list the meetings from a date later than "
        "today: meetings already held before it are no longer shown. The change log shows it "
        "as a correction, with the reason.",
    )
    correction_reason = forms.CharField(
        label="Why the record is corrected",
        required=False,
        max_length=300,
        help_text="Required with the box ticked; shown with the correction.",
    )
    user = None  # set on the class by the admin that builds it

    def correction_reason_given(self) -> str:
        if not self.cleaned_data.get("corrects_record"):
            return ""
        return self.cleaned_data.get("correction_reason", "").strip()

    def clean(self):
        cleaned = super().clean()
        corrections = [f for f in ("confirm_first_date", "known_from") if f in self.changed_data]
        rule_changed = [f for f in (*RULE_FIELDS, *TIME_FIELDS) if f in self.changed_data]
        if corrections and rule_changed:
            raise forms.ValidationError(
                "Correct the first or known-from date on its own, then change the rule or "
                "the times in a second save (they take effect from a date)."
            )
        if len(corrections) == 2:
            raise forms.ValidationError(
                "Confirming the first meeting date sets the known-from date too: give only one."
            )
        if "known_from" in self.changed_data and not cleaned.get("known_from"):
            raise forms.ValidationError(
                {"known_from": "Give the UK date from which the series' meetings are listed."}
            )
        first = cleaned.get("confirm_first_date")
        if first and self.instance.pk:
            series_validate_first_date(series=self.instance, day=first, field="confirm_first_date")
        if cleaned.get("corrects_record") and not cleaned.get("correction_reason", "").strip():
            raise forms.ValidationError({"correction_reason": "Say why the record is corrected."})
        for field in corrections:
            if cleaned.get(field) and self.instance.pk:
                errors = known_from_errors(
                    known_from=cleaned[field],
                    today=clock.today(),
                    by=self.user,
                    correction_reason=self.correction_reason_given(),
                    field=field,
                )
                for name, message in errors.items():
                    self.add_error(name if name in self.fields else None, message)
        return cleaned


class PicksTheMeeting:
    """A series' cancellations or moves whose meeting is chosen from the series' dates
    (those of the next 12 months, and those already chosen), never typed."""

    date_field = ""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is None:
            return formset
        today = clock.today()
        upcoming = series_dates(obj, today, today + timedelta(days=UPCOMING_DAYS))
        chosen = [
            getattr(row, self.date_field) for row in self.get_queryset(request).filter(series=obj)
        ]
        days = sorted({*upcoming, *chosen})
        field = formset.form.base_fields[self.date_field]
        field.widget = forms.Select(
            choices=[
                ("", "Choose the meeting"),
                *((f"{d:%Y-%m-%d}", f"{d:%A %-d %B %Y}") for d in days),
            ]
        )
        field.help_text = "The meeting, from the series' dates of the next 12 months."
        return formset


UPCOMING_DAYS = 366


class CancellationInline(PicksTheMeeting, VersionedInline):
    model = Cancellation
    fields = ("date", "note", "version")
    date_field = "date"


class MoveInline(PicksTheMeeting, VersionedInline):
    model = Move
    fields = ("original_date", "start", "end", "note", "version")
    date_field = "original_date"


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(StaleEditRefused, SuperuserAddsAndDeletes, admin.ModelAdmin):
    form = MeetingSeriesForm
    list_display = (
        "group",
        "display_title",
        "frequency",
        "schedule_text",
        "start_time",
        "end_time",
    )
    list_filter = ("frequency", "group__workstream")
    list_select_related = ("group",)
    search_fields = ("group__acronym", "group__name", "title", "schedule_text")
    inlines = [CancellationInline, MoveInline]
    fieldsets = [
        (
            None,
            {"fields": ("group", "slug", "title", "order", "schedule_text", "source", "version")},
        ),
        (
            "Rule (UK local time)",
            {
                "fields": (*FORM_RULE_FIELDS, "takes_effect_from"),
                "description": "Monthly: the n-th (or last) weekday. Every N weeks: from the "
                "anchor date. Ad hoc: no rule.",
            },
        ),
        (
            "Where its dates come from",
            {
                "fields": (
                    "known_from",
                    "known_from_set_on",
                    "known_from_basis",
                    "dates_inferred",
                    "confirm_first_date",
                    "dates_confirmed_on",
                    "slot_note",
                    "attendance_not_stated",
                ),
                "description": "No meeting is shown before the known-from date. Dates that "
                "rest on an inference stay tentative until the first meeting date is "
                "confirmed.",
            },
        ),
    ]
    # Set by the corrections above, never typed in.
    CORRECTED_FIELDS = ("known_from_set_on", "known_from_basis", "dates_inferred")
    CONFIRMED_FIELDS = ("dates_confirmed_on",)
    CORRECTION_FIELDS = ("corrects_record", "correction_reason")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        user = request.user
        if user.is_superuser and obj is not None:
            # An administrator may correct the record of the past, ticking it, with a reason.
            return [
                (name, {**opts, "fields": (*opts["fields"], *self.CORRECTION_FIELDS)})
                if name == "Where its dates come from"
                else (name, opts)
                for name, opts in self.fieldsets
            ]
        if user.has_perm("meetings.change_meetingseries"):
            return self.fieldsets
        # Those who may not change the schedule are not asked from when it changes; those
        # who may not correct its dates are not asked to confirm them.
        asks = {"takes_effect_from"}
        if not user.has_perm(CONFIRM_DATES):
            asks.add("confirm_first_date")
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in asks]})
            for name, opts in self.fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        user = request.user
        if user.has_perm("meetings.change_meetingseries"):
            return (*self.CORRECTED_FIELDS, *self.CONFIRMED_FIELDS)
        # The programme office corrects what the directory inferred of the dates only.
        editable = {"version", "known_from", "confirm_first_date"}
        if not user.has_perm(CONFIRM_DATES):
            editable = {"version"}
        fieldsets = self.get_fieldsets(request, obj)
        return [f for _, opts in fieldsets for f in opts["fields"] if f not in editable]

    def write(self, request, obj, form, change):
        if not change:
            series_add(series=obj, by=request.user)
            return
        first = form.cleaned_data.get("confirm_first_date")
        correction = form.correction_reason_given()
        if first:
            series_confirm_first_date(
                series=obj,
                first_date=first,
                by=request.user,
                at=clock.now(),
                correction_reason=correction,
            )
            return
        if "known_from" in form.changed_data:
            series_set_known_from(
                series=obj,
                known_from=obj.known_from,
                by=request.user,
                at=clock.now(),
                correction_reason=correction,
            )
            return
        effective_from = form.cleaned_data.get("takes_effect_from") or clock.today()
        series_reschedule(
            series=obj, effective_from=effective_from, by=request.user, at=clock.now()
        )

    def save_formset(self, request, form, formset, change):
        """The cancellations and moves of the series' page, through their services."""
        save, delete = WRITES[formset.model]
        for row in formset.save(commit=False):
            save(row, request.user)
        for row in formset.deleted_objects:
            delete(row, request.user)

    def delete_model(self, request, obj):
        series_delete(series=obj, by=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for series in queryset.select_related("group"):
            series_delete(series=series, by=request.user)

    def has_change_permission(self, request, obj=None):
        # The inlines (cancellations and moves) are edited from the series' page.
        return any(
            request.user.has_perm(perm)
            for perm in (
                "meetings.change_meetingseries",
                "meetings.add_cancellation",
                CONFIRM_DATES,
            )
        )


class SeriesChoiceMixin:
    """Series choices list their group without a query each."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "series":
            kwargs["queryset"] = MeetingSeries.objects.select_related("group").exclude(
                frequency=Frequency.AD_HOC
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Cancellation)
class CancellationAdmin(
    WritesThroughServices, StaleEditRefused, SeriesChoiceMixin, admin.ModelAdmin
):
    list_display = ("series", "date", "note")
    list_select_related = ("series__group",)
    date_hierarchy = "date"
    # Links to the groups' lists of meetings, where a meeting is cancelled or moved.
    change_list_template = "admin/meetings/single_meeting_change_list.html"


@admin.register(Move)
class MoveAdmin(WritesThroughServices, StaleEditRefused, SeriesChoiceMixin, admin.ModelAdmin):
    list_display = ("series", "original_date", "start", "end", "note")
    list_select_related = ("series__group",)
    change_list_template = "admin/meetings/single_meeting_change_list.html"


@admin.register(OneOffMeeting)
class OneOffMeetingAdmin(WritesThroughServices, StaleEditRefused, admin.ModelAdmin):
    list_display = ("group", "display_title", "start", "end", "note")
    list_select_related = ("group",)
    list_filter = ("group__workstream",)
    date_hierarchy = "start"


@admin.register(GovernanceGroup)
class GroupWithSeriesAdmin(GovernanceGroupAdmin):
    """The group's admin with its meeting series inline: registered here, as the groups app
    cannot know the meetings that build on it."""

    # Links to the group's meetings (upcoming and recent), each opening its meeting screen.
    change_form_template = "admin/meetings/governancegroup_change_form.html"
    inlines = [MeetingSeriesInline, *GovernanceGroupAdmin.inlines]
    inlines_for_status_editors = (
        MeetingSeriesInline,
        *GovernanceGroupAdmin.inlines_for_status_editors,
    )
    # The list fits 1280 px beside the admin's sidebar, status, note and "takes effect from"
    # in view: one column names the group (the level is a filter, and the list's order),
    # and admin_office.css puts the filters below the list; at 360 px each group is a card.
    list_display = ("group", "status", "status_note", "status_effective_from", "announced")
    list_display_links = ("group",)

    class Media:
        css = {"all": ["css/admin_office.css"]}

    @admin.display(description="group", ordering="name")
    def group(self, obj):
        if obj.short_name == obj.name:
            return obj.name
        return format_html('{} <span class="group-name">{}</span>', obj.short_name, obj.name)
