from django import forms
from django.contrib import admin

from core import clock
from core.admin import StaleEditRefused, SuperuserAddsAndDeletes, VersionCheckedForm

from .enums import Frequency
from .models import Cancellation, MeetingSeries, Move, OneOffMeeting
from .scheduling import series_reschedule

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


class CancellationInline(VersionedInline):
    model = Cancellation
    fields = ("date", "note", "version")


class MoveInline(VersionedInline):
    model = Move
    fields = ("original_date", "start", "end", "note", "version")


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
    ]

    def get_fieldsets(self, request, obj=None):
        if request.user.has_perm("meetings.change_meetingseries"):
            return self.fieldsets
        # Those who may not change the schedule are not asked from when it changes.
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f != "takes_effect_from"]})
            for name, opts in self.fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        if request.user.has_perm("meetings.change_meetingseries"):
            return ()
        fieldsets = self.get_fieldsets(request, obj)
        return [f for _, opts in fieldsets for f in opts["fields"] if f != "version"]

    def write(self, request, obj, form, change):
        if not change:
            obj.save()
            return
        effective_from = form.cleaned_data.get("takes_effect_from") or clock.today()
        series_reschedule(
            series=obj, effective_from=effective_from, by=request.user, at=clock.now()
        )

    def has_change_permission(self, request, obj=None):
        # The inlines (cancellations and moves) are edited from the series' page.
        return request.user.has_perm("meetings.change_meetingseries") or request.user.has_perm(
            "meetings.add_cancellation"
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
class CancellationAdmin(StaleEditRefused, SeriesChoiceMixin, admin.ModelAdmin):
    list_display = ("series", "date", "note")
    list_select_related = ("series__group",)
    date_hierarchy = "date"


@admin.register(Move)
class MoveAdmin(StaleEditRefused, SeriesChoiceMixin, admin.ModelAdmin):
    list_display = ("series", "original_date", "start", "end", "note")
    list_select_related = ("series__group",)


@admin.register(OneOffMeeting)
class OneOffMeetingAdmin(StaleEditRefused, admin.ModelAdmin):
    list_display = ("group", "display_title", "start", "end", "note")
    list_select_related = ("group",)
    list_filter = ("group__workstream",)
    date_hierarchy = "start"
