from datetime import date, timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.forms import Textarea
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core import clock
from core.admin import StaleEditRefused, VersionCheckedForm

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


@admin.register(MeetingRecord)
class MeetingRecordAdmin(StaleEditRefused, admin.ModelAdmin):
    """A meeting's papers and actions; "Overdue documents" lists what is due and missing."""

    list_display = ("__str__", "date", "documents_count", "actions_count", "page")
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

    def get_urls(self):
        return [
            path(
                "overdue/",
                self.admin_site.admin_view(self.overdue_view),
                name="records_meetingrecord_overdue",
            ),
            *super().get_urls(),
        ]

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
        add_url = reverse("admin:records_meetingrecord_add")
        rows = [
            {
                "item": item,
                "days_late": (today - item.deadline.due).days,
                "fix_url": (
                    reverse("admin:records_meetingrecord_change", args=[item.record.pk])
                    if item.record
                    else f"{add_url}?group={item.group.pk}&date={item.day:%Y-%m-%d}"
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
    list_display = ("reference", "title", "group", "date", "status", "published_at")
    list_filter = ("status", "group", "year")
    search_fields = ("reference", "title", "summary")
    readonly_fields = ("reference",)
    fields = (
        "reference",
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
        "version",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
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
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
