from datetime import date, timedelta

from concurrency.exceptions import RecordModifiedError
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms import Textarea
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core import clock
from core.admin import StaleEditRefused, VersionCheckedForm, stale_edit_message
from groups.models import GovernanceGroup
from meetings.forms import CancelMeetingForm, MoveMeetingForm
from meetings.models import Cancellation, Move, local_datetime
from meetings.services import cancellation_save, move_save

from .meeting_screen import group_with_schedule, meeting_on, meetings_of
from .models import Action, DeadlinePolicy, Decision, Document, MeetingRecord
from .selectors import overdue_documents
from .services import (
    action_delete,
    action_save,
    decision_delete,
    decision_may_delete,
    decision_save,
    document_delete,
    document_save,
    record_delete,
)

OVERDUE_DAYS = 91  # how far back "Overdue documents" looks unless asked


class DocumentInline(admin.TabularInline):
    model = Document
    form = VersionCheckedForm
    extra = 1
    fields = ("kind", "title", "file", "publish_at", "first_published", "content_type", "version")
    readonly_fields = ("content_type",)


class ActionInline(admin.TabularInline):
    model = Action
    form = VersionCheckedForm
    extra = 1
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 50})}}
    fields = ("reference", "description", "owner", "due", "status", "version")
    readonly_fields = ("reference",)


# The meeting screen's papers and actions: stacked, each field with its label, so the
# screen reads at 360 px as at 1280 and every field is named for a screen reader.


class NamedDateTimes:
    """Each half of a date-and-time field named for a screen reader ("Public from: time")."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DateTimeField) and field is not None:
            halves = getattr(field.widget, "widgets", ())
            for half, name in zip(halves, ("date", "time"), strict=False):
                half.attrs["aria-label"] = f"{field.label}: {name}"
        return field


class ScreenDocumentInline(NamedDateTimes, admin.StackedInline):
    model = Document
    form = VersionCheckedForm
    extra = 1
    fields = ("kind", "title", "file", "publish_at", "first_published", "version")


class ScreenActionInline(admin.StackedInline):
    model = Action
    form = VersionCheckedForm
    extra = 1
    formfield_overrides = ActionInline.formfield_overrides
    fields = ActionInline.fields
    readonly_fields = ActionInline.readonly_fields


DRAFT_LABEL = "Draft: not public"
KEEP_DRAFT_ASKED = (
    "No publication time is given: tick “Keep it as a draft (not public)?” to save it as "
    "a draft that only the admin sees, or give the time it is published."
)
KEEP_DRAFT_OR_PUBLISH = (
    "Either give a publication time or keep it as a draft: untick “Keep it as a draft”, "
    "or clear the publication time."
)


def publication_label(decision, now) -> str:
    """Whether participants see the decision: "Draft: not public", or from when."""
    if decision.published_at is None:
        return DRAFT_LABEL
    when = timezone.localtime(decision.published_at)
    if decision.published_at > now:
        return f"Not public until {when:%-d %B %Y, %H:%M}"
    return f"Public since {when:%-d %B %Y}"


class DecisionForm(VersionCheckedForm):
    """A decision's form: a save without a publication time asks whether to keep it a
    draft, so a blank "Published" never makes a hidden draft unawares."""

    keep_draft = forms.BooleanField(
        required=False,
        label="Keep it as a draft (not public)?",
        help_text="Tick to save it without a publication time: only the admin sees it until "
        "a publication time is given.",
    )

    def clean(self):
        cleaned = super().clean()
        if "published_at" not in self.fields or not self.has_changed():
            return cleaned
        if self.has_error("published_at"):
            return cleaned
        if cleaned.get("published_at") is None and not cleaned.get("keep_draft"):
            self.add_error("keep_draft", KEEP_DRAFT_ASKED)
        elif cleaned.get("published_at") is not None and cleaned.get("keep_draft"):
            self.add_error("keep_draft", KEEP_DRAFT_OR_PUBLISH)
        return cleaned


def decision_choices(db_field, kwargs) -> None:
    """The choices of a decision's groups, meeting and successor: deciding groups, and only
    published decisions supersede."""
    if db_field.name == "group":
        kwargs["queryset"] = db_field.related_model.objects.filter(decision_making=True)
    elif db_field.name == "record":
        kwargs["queryset"] = MeetingRecord.objects.select_related("group")
    elif db_field.name == "superseded_by":
        kwargs["queryset"] = (
            Decision.objects.filter(published_at__lte=clock.now(), group__decision_making=True)
            .select_related("group")
            .order_by("reference")
        )


class DecisionFormSet(BaseInlineFormSet):
    """A meeting's decisions: each new one is the meeting group's, of the meeting's date;
    a published one offers no "Delete" but to a superuser (withdraw it instead)."""

    user = None  # set on the class by the inline that builds it

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        record = self.instance
        if form.instance.pk is None and record.group_id:
            form.instance.group = record.group
            form.instance.date = record.date
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        decision = form.instance
        if (
            "DELETE" in form.fields
            and decision.pk is not None
            and not decision_may_delete(decision=decision, user=self.user, now=clock.now())
        ):
            form.fields["DELETE"].disabled = True
            form.fields["DELETE"].help_text = "Published: withdraw it instead."


class DecisionInline(NamedDateTimes, admin.StackedInline):
    """The meeting's decisions, written through the register's service."""

    model = Decision
    form = DecisionForm
    formset = DecisionFormSet
    extra = 1
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 60})}}
    # A decision superseded, or one recommended by a working group, is recorded on its own
    # page (its link): their choices of every decision and group, on each row, would read
    # the database once a row.
    fields = (
        "reference",
        "publication",
        "title",
        "summary",
        "rationale",
        "status",
        "status_reason",
        "published_at",
        "keep_draft",
        "version",
    )
    readonly_fields = ("reference", "publication")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset

    @admin.display(description="public")
    def publication(self, obj):
        if obj is None or obj.pk is None:
            return DRAFT_LABEL + " until a publication time is given"
        return publication_label(obj, clock.now())


SCREEN_TEMPLATE = "admin/records/meetingrecord/meeting_screen.html"


def _move_permission(occurrence) -> str:
    """Moving a meeting adds a move; moving a moved one again changes its move."""
    return "meetings.change_move" if occurrence.moved_from is not None else "meetings.add_move"


def _meeting_url(name, meeting, day=None):
    day = day or meeting.day
    return reverse(f"admin:{name}", args=[meeting.group.slug, f"{day:%Y-%m-%d}"])


@admin.register(MeetingRecord)
class MeetingRecordAdmin(StaleEditRefused, admin.ModelAdmin):
    """A meeting's papers and actions; "Overdue documents" lists what is due and missing."""

    list_display = ("__str__", "date", "documents_count", "actions_count", "screen", "page")
    list_filter = ("group__level", "group")
    search_fields = ("group__name", "group__acronym")
    date_hierarchy = "date"
    fields = ("group", "date", "joining_details", "version")
    inlines = (DocumentInline, ActionInline)
    change_list_template = "admin/records/meetingrecord/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("group")
            .prefetch_related("documents", "actions")
        )

    @admin.display(description="documents")
    def documents_count(self, obj):
        return len(obj.documents.all())

    @admin.display(description="actions")
    def actions_count(self, obj):
        return len(obj.actions.all())

    @admin.display(description="public page")
    def page(self, obj):
        return format_html('<a href="{}">View</a>', obj.get_absolute_url())

    def save_formset(self, request, form, formset, change):
        if formset.model is Document:
            self._save_rows(request, formset, document_save, document_delete, "document")
        elif formset.model is Decision:
            self._save_rows(request, formset, decision_save, decision_delete, "decision")
        elif formset.model is Action:
            self._save_rows(request, formset, action_save, action_delete, "action")
        else:
            super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        record_delete(record=obj, by=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for record in queryset:
            record_delete(record=record, by=request.user)

    @staticmethod
    def _save_rows(request, formset, save, delete, name):
        """The inline's rows through their services, which log them."""
        for row in formset.save(commit=False):
            save(**{name: row, "by": request.user})
        for row in formset.deleted_objects:
            delete(**{name: row, "by": request.user})

    @admin.display(description="meeting screen")
    def screen(self, obj):
        url = reverse("admin:meeting_screen", args=[obj.group.slug, f"{obj.date:%Y-%m-%d}"])
        return format_html('<a href="{}">Open</a>', url)

    # The meeting screen: one page per meeting of a group, on its date, with its record
    # (made on the first save), papers, decisions and actions, and its cancel and move.

    def get_fields(self, request, obj=None):
        if getattr(request, "meeting", None) is not None:
            return ("joining_details", "version")  # the group and date are the meeting's
        return super().get_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        meeting = getattr(request, "meeting", None)
        if meeting is None:
            return form

        class OnTheMeeting(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.instance.pk is None:
                    self.instance.group = meeting.group
                    self.instance.date = meeting.day

        return OnTheMeeting

    def get_inlines(self, request, obj):
        meeting = getattr(request, "meeting", None)
        if meeting is None:
            return self.inlines
        if meeting.group.decision_making:
            return (ScreenDocumentInline, DecisionInline, ScreenActionInline)
        return (ScreenDocumentInline, ScreenActionInline)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if getattr(request, "meeting", None) is not None:
            response.template_name = SCREEN_TEMPLATE
        return response

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "meeting", None) is not None:
            return self._back_to_the_meeting(request)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "meeting", None) is not None:
            return self._back_to_the_meeting(request)
        return super().response_change(request, obj)

    def _back_to_the_meeting(self, request):
        meeting = request.meeting
        messages.success(
            request,
            f"The {meeting.group.short_name} meeting of {meeting.day:%A %-d %B %Y} was saved.",
        )
        return HttpResponseRedirect(_meeting_url("meeting_screen", meeting))

    def get_urls(self):
        view = self.admin_site.admin_view
        meeting = "meetings/<slug:group>/<str:day>/"
        return [
            path("overdue/", view(self.overdue_view), name="records_meetingrecord_overdue"),
            path("meetings/", view(self.groups_view), name="meeting_groups"),
            path("meetings/<slug:group>/", view(self.group_meetings_view), name="group_meetings"),
            path(meeting, view(self.meeting_view), name="meeting_screen"),
            path(f"{meeting}cancel/", view(self.cancel_view), name="meeting_cancel"),
            path(f"{meeting}move/", view(self.move_view), name="meeting_move"),
            *super().get_urls(),
        ]

    def _page(self, request, template, title, status=200, **context):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                **context,
            },
            status=status,
        )

    def groups_view(self, request):
        """Every group, each linking to its meetings."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        groups = GovernanceGroup.objects.order_by("name").only("slug", "name", "acronym")
        return self._page(request, "admin/meetings/groups.html", "Meetings by group", groups=groups)

    def group_meetings_view(self, request, group):
        """A group's upcoming (12 months) and recent (3 months) meetings, each opening its
        meeting screen, with its cancel and move."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        found = group_with_schedule(GovernanceGroup.objects, group)
        if found is None:
            return self._no_such_group(request, group)
        today = clock.today()
        upcoming, recent = meetings_of(found, today=today)
        return self._page(
            request,
            "admin/meetings/group_meetings.html",
            f"{found.display_name}: meetings",
            group=found,
            upcoming=upcoming,
            recent=recent,
            today=today,
            may_cancel=request.user.has_perm("meetings.add_cancellation"),
            may_move=request.user.has_perm("meetings.add_move"),
        )

    def _no_such_group(self, request, slug):
        return self._page(
            request,
            "admin/meetings/refused.html",
            "No such group",
            status=404,
            message=f"There is no group “{slug}”: choose one from the list.",
            back_url=reverse("admin:meeting_groups"),
            back_text="Meetings by group",
        )

    def _meeting(self, request, slug, day_text):
        """The group's meeting on the date given, or the page refusing it (404)."""
        group = group_with_schedule(GovernanceGroup.objects, slug)
        if group is None:
            return self._no_such_group(request, slug)
        back = {
            "back_url": reverse("admin:group_meetings", args=[group.slug]),
            "back_text": f"{group.short_name}'s meetings",
        }
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            return self._page(
                request,
                "admin/meetings/refused.html",
                "No such meeting",
                status=404,
                message=f"“{day_text}” is not a date: choose the meeting from "
                f"{group.short_name}'s list of meetings.",
                **back,
            )
        meeting = meeting_on(group, day)
        if meeting is None:
            return self._page(
                request,
                "admin/meetings/refused.html",
                "No such meeting",
                status=404,
                message=f"{group.short_name} has no meeting on {day:%A %-d %B %Y}: choose "
                f"one from its list of meetings.",
                **back,
            )
        return meeting

    def meeting_view(self, request, group, day):
        meeting = self._meeting(request, group, day)
        if isinstance(meeting, TemplateResponse):
            return meeting
        request.meeting = meeting
        today = clock.today()
        user = request.user
        object_id = str(meeting.record.pk) if meeting.record else None
        occurrence = meeting.occurrence
        context = {
            "title": f"{meeting.group.short_name} meeting of {meeting.day:%A %-d %B %Y}",
            "subtitle": None,
            "meeting": meeting,
            "when": occurrence.when(today),
            "cancel_url": _meeting_url("meeting_cancel", meeting)
            if meeting.may_cancel(today) and user.has_perm("meetings.add_cancellation")
            else None,
            "move_url": _meeting_url("meeting_move", meeting)
            if meeting.may_move(today) and user.has_perm(_move_permission(occurrence))
            else None,
            "group_meetings_url": reverse("admin:group_meetings", args=[meeting.group.slug]),
            "show_save_and_add_another": False,
            "show_save_and_continue": False,
            "show_delete": False,
        }
        return self.changeform_view(request, object_id, extra_context=context)

    def _refused(self, request, meeting, message):
        return self._page(
            request,
            "admin/meetings/refused.html",
            "Not possible for this meeting",
            status=409,
            message=message,
            back_url=_meeting_url("meeting_screen", meeting),
            back_text="Back to the meeting",
        )

    def cancel_view(self, request, group, day):
        """Cancel the meeting chosen: only a note is asked."""
        meeting = self._meeting(request, group, day)
        if isinstance(meeting, TemplateResponse):
            return meeting
        if not request.user.has_perm("meetings.add_cancellation"):
            raise PermissionDenied
        if not meeting.may_cancel(clock.today()):
            return self._refused(request, meeting, self._why_not(meeting, "cancelled"))
        form = CancelMeetingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            cancellation = Cancellation(
                series=meeting.occurrence.series, date=meeting.day, note=form.cleaned_data["note"]
            )
            try:
                with transaction.atomic():
                    cancellation.full_clean()
                    cancellation_save(cancellation=cancellation, by=request.user)
            except ValidationError as refused:
                form.add_error(None, refused.messages)
            else:
                messages.success(
                    request,
                    f"The {meeting.group.short_name} meeting of {meeting.day:%A %-d %B %Y} "
                    "is cancelled: the calendar, its feeds and the change log say so.",
                )
                return HttpResponseRedirect(_meeting_url("meeting_screen", meeting))
        return self._meeting_form(request, meeting, form, "Cancel", "Cancel this meeting")

    def move_view(self, request, group, day):
        """Move the meeting chosen (again, if moved already): its new date and times only."""
        meeting = self._meeting(request, group, day)
        if isinstance(meeting, TemplateResponse):
            return meeting
        occurrence = meeting.occurrence
        moved = occurrence.moved_from is not None
        if not request.user.has_perm(_move_permission(occurrence)):
            raise PermissionDenied
        if not meeting.may_move(clock.today()):
            return self._refused(request, meeting, self._why_not(meeting, "moved"))
        series = occurrence.series
        move = (
            Move.objects.get(series=series, original_date=occurrence.moved_from)
            if moved
            else Move(series=series, original_date=meeting.day)
        )
        form = MoveMeetingForm(
            request.POST or None,
            initial={
                "date": meeting.day,
                "start": occurrence.local_start.time(),
                "end": occurrence.local_end.time(),
                "note": move.note,
                "version": move.version if moved else None,
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if moved and data["version"] is not None:
                move.version = data["version"]
            move.start = local_datetime(data["date"], data["start"])
            move.end = local_datetime(data["date"], data["end"])
            move.note = data["note"]
            try:
                with transaction.atomic():
                    move.full_clean()
                    move_save(move=move, by=request.user)
            except ValidationError as refused:
                form.add_error(None, refused.messages)
            except RecordModifiedError:
                return self._page(
                    request,
                    "admin/stale_edit.html",
                    "Your edit was not saved",
                    status=409,
                    message=stale_edit_message(move, []),
                    again_url=request.get_full_path(),
                )
            else:
                messages.success(
                    request,
                    f"The {meeting.group.short_name} meeting of "
                    f"{(occurrence.moved_from or meeting.day):%A %-d %B %Y} is moved to "
                    f"{data['date']:%A %-d %B %Y}, {data['start']:%H:%M} to "
                    f"{data['end']:%H:%M}: the calendar, its feeds and the change log say so.",
                )
                return HttpResponseRedirect(_meeting_url("meeting_screen", meeting, data["date"]))
        return self._meeting_form(request, meeting, form, "Move", "Move this meeting")

    @staticmethod
    def _why_not(meeting, done) -> str:
        occurrence = meeting.occurrence
        name = f"The {meeting.group.short_name} meeting of {meeting.day:%A %-d %B %Y}"
        if occurrence.is_cancelled:
            return f"{name} is cancelled: withdraw the cancellation on its series' page first."
        if occurrence.series is None:
            return f"{name} is a one-off meeting: change or remove it on its own admin page."
        if meeting.day < clock.today():
            return f"{name} has been held: it cannot be {done} now."
        return (
            f"{name} was moved from {occurrence.moved_from:%A %-d %B %Y}: move it again, or "
            "withdraw the move on its series' page to put it back before cancelling it."
        )

    def _meeting_form(self, request, meeting, form, verb, button):
        status = 400 if form.is_bound else 200
        return self._page(
            request,
            "admin/meetings/meeting_form.html",
            f"{verb} the {meeting.group.short_name} meeting of {meeting.day:%A %-d %B %Y}",
            status=status,
            meeting=meeting,
            when=meeting.occurrence.when(clock.today()),
            form=form,
            button=button,
            screen_url=_meeting_url("meeting_screen", meeting),
            group_meetings_url=reverse("admin:group_meetings", args=[meeting.group.slug]),
        )

    def overdue_view(self, request):
        """Every document due and not published, oldest due first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = clock.today()
        try:
            since = date.fromisoformat(request.GET.get("since", ""))
        except ValueError:
            since = today - timedelta(days=OVERDUE_DAYS)
        items = overdue_documents(now=clock.now(), since=since)
        rows = [
            {
                "item": item,
                "days_late": (today - item.deadline.due).days,
                "fix_url": reverse(
                    "admin:meeting_screen", args=[item.group.slug, f"{item.day:%Y-%m-%d}"]
                ),
            }
            for item in items
        ]
        return TemplateResponse(
            request,
            "admin/records/overdue.html",
            {
                **self.admin_site.each_context(request),
                "title": "Overdue documents",
                "opts": self.model._meta,
                "rows": rows,
                "since": since,
                "today": today,
                "has_policies": DeadlinePolicy.objects.exists(),
            },
        )


@admin.register(Decision)
class DecisionAdmin(StaleEditRefused, admin.ModelAdmin):
    form = DecisionForm
    list_display = ("reference", "title", "group", "date", "status", "publication")
    list_filter = ("status", "group", "year")
    search_fields = ("reference", "title", "summary")
    readonly_fields = ("reference", "publication")
    fields = (
        "reference",
        "publication",
        "group",
        "recommended_by",
        "record",
        "date",
        "title",
        "summary",
        "rationale",
        "status",
        "superseded_by",
        "status_reason",
        "published_at",
        "keep_draft",
        "version",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        decision_choices(db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="public", ordering="published_at")
    def publication(self, obj):
        if obj is None or obj.pk is None:
            return f"{DRAFT_LABEL} until a publication time is given"
        return publication_label(obj, clock.now())

    def write(self, request, obj, form, change):
        decision_save(decision=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or decision_may_delete(decision=obj, user=request.user, now=clock.now())

    def get_deleted_objects(self, objs, request):
        """The bulk delete action: refuse it for published decisions, as the form does."""
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        now = clock.now()
        if any(not decision_may_delete(decision=o, user=request.user, now=now) for o in objs):
            perms = {*perms, "delete a published decision (withdraw it instead)"}
        return deleted, counts, perms, protected

    def delete_model(self, request, obj):
        decision_delete(decision=obj, by=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for decision in queryset.select_related("group"):
            decision_delete(decision=decision, by=request.user)


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(StaleEditRefused, admin.ModelAdmin):
    """A group's publication deadlines, from a date. None apply until one is set here; the
    REC portal's 5/2/5 working days are offered as a suggestion, never applied."""

    list_display = (
        "group",
        "effective_from",
        "agenda_before",
        "papers_before",
        "headline_report_after",
        "minutes_after",
        "set_on",
    )
    list_filter = ("group",)
    fields = (
        "group",
        "effective_from",
        "agenda_before",
        "papers_before",
        "headline_report_after",
        "minutes_after",
        "version",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group")

    @admin.display(description="set on")
    def set_on(self, obj):
        return obj.set_on
