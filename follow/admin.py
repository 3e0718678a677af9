"""Following by email in the admin.

Subscriptions (addresses) are for superusers only: to see, export or erase one address's
subscriptions on request. The programme office sees "Followers per group": how many confirmed
subscriptions follow each group, never who (``follow.roles``).
"""

import json

from django.contrib import admin, messages
from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.template.response import TemplateResponse

from . import services
from .models import Delivery, FollowedGroup, Subscription


class SuperuserOnly:
    """Nothing for anyone but a superuser, whatever permissions they were given."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return False  # subscriptions are made by their address, on /follow/

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class DeliveryInline(SuperuserOnly, admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ("kind", "key", "created_at", "sent_at", "attempts", "last_error")
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        return False


def one_address(modeladmin, request, queryset) -> str | None:
    """The one address the selected subscriptions share, or None (with a message)."""
    emails = set(queryset.values_list("email", flat=True))
    if len(emails) != 1:
        modeladmin.message_user(
            request,
            "Choose the subscriptions of one address (search for it first); "
            f"{len(emails)} addresses were chosen.",
            messages.ERROR,
        )
        return None
    return emails.pop()


@admin.register(Subscription)
class SubscriptionAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("email", "frequency", "reminder_days", "created_at", "confirmed_at")
    list_filter = (("confirmed_at", admin.EmptyFieldListFilter), "frequency")
    search_fields = ("email",)
    fields = (
        "email",
        "groups",
        "workstreams",
        "topics",
        "frequency",
        "reminder_days",
        "created_at",
        "confirmed_at",
    )
    readonly_fields = fields
    inlines = (DeliveryInline,)
    actions = ("export_address", "erase_address")

    def get_actions(self, request):
        found = super().get_actions(request)
        found.pop("delete_selected", None)  # erase by address instead, logged
        return found

    @admin.action(description="Export all subscriptions of the chosen address (JSON)")
    def export_address(self, request, queryset):
        email = one_address(self, request, queryset)
        if email is None:
            return None
        for subscription in Subscription.objects.filter(email=email):
            self.log_change(request, subscription, "Exported with its address's subscriptions.")
        response = HttpResponse(
            json.dumps(services.export_address(email), indent=2),
            content_type="application/json",
        )
        response["Content-Disposition"] = 'attachment; filename="subscriptions.json"'
        return response

    @admin.action(description="Erase the chosen address: delete all its subscriptions")
    def erase_address(self, request, queryset):
        email = one_address(self, request, queryset)
        if email is None:
            return None
        subscriptions = Subscription.objects.filter(email=email)
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(
                request,
                "admin/follow/erase_address.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Erase an address",
                    "opts": self.model._meta,
                    "email": email,
                    "count": subscriptions.count(),
                    "selected": queryset.values_list("pk", flat=True),
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        self.log_deletions(request, subscriptions)
        erased = services.erase_address(email)
        self.message_user(request, f"Erased the address: {erased} subscriptions deleted.")
        return None


def followers():
    """The number of confirmed subscriptions following a group (``OuterRef``), directly or
    through its workstream, each counted once."""
    matching = (
        Subscription.objects.confirmed()
        .filter(Q(groups=OuterRef("pk")) | Q(workstreams=OuterRef("workstream")))
        .order_by()
        .annotate(n=Func(F("pk"), template="COUNT(DISTINCT %(expressions)s)"))
        .values("n")
    )
    return Coalesce(Subquery(matching, output_field=IntegerField()), 0)


@admin.register(FollowedGroup)
class FollowedGroupAdmin(admin.ModelAdmin):
    """Followers per group: counts only, never an address."""

    list_display = ("display_name", "workstream", "followers")
    list_display_links = None
    list_select_related = ("workstream",)
    search_fields = ("name", "acronym")
    fields = ("name", "acronym", "workstream")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(followers=followers())

    @admin.display(description="Confirmed followers", ordering="followers")
    def followers(self, obj):
        return obj.followers

    def get_ordering(self, request):
        return (F("workstream__order").asc(nulls_last=True), "name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
