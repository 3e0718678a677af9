"""The programme office's admin of representation: constituencies, seats, who holds them,
the spreadsheet import, and what needs attention (terms ending soon, vacant seats)."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core import clock
from core.admin import StaleEditRefused

from .enums import Role
from .forms import ImportForm
from .imports import ImportRefused, import_representatives
from .models import Constituency, Membership, Person, Seat, seat_groups
from .selectors import seat_view, seats_read
from .services import (
    constituency_save,
    membership_save,
    person_erase,
    seat_save,
)

ENDING_DAYS = 60  # "terms ending soon": within this many days


def same_organisation_warning(membership) -> str:
    member = membership.alternate_for
    return (
        f"{membership.person.display_name} is an alternate from the same organisation as "
        f"{member.person.display_name}, the member they stand in for ({membership.organisation})."
        " This is allowed, but other industry panels (the REC's) ask for an alternate from "
        "another organisation."
    )


@admin.register(Constituency)
class ConstituencyAdmin(StaleEditRefused, admin.ModelAdmin):
    list_display = ("name", "slug", "page")
    search_fields = ("name",)
    fields = ("name", "description", "version")

    def write(self, request, obj, form, change):
        constituency_save(constituency=obj, by=request.user)

    @admin.display(description="public page")
    def page(self, obj):
        return format_html('<a href="{}">View</a>', obj.get_absolute_url())


class VacancyFilter(admin.SimpleListFilter):
    title = "vacancy"
    parameter_name = "vacant"

    def lookups(self, request, model_admin):
        return [("yes", "Vacant seats today")]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        today = clock.today()
        vacant = [
            view.seat.pk for view in map(lambda s: seat_view(s, today), seats_read()) if view.vacant
        ]
        return queryset.filter(pk__in=vacant)


@admin.register(Seat)
class SeatAdmin(StaleEditRefused, admin.ModelAdmin):
    """A constituency's seats on a group; change the number of seats here."""

    list_display = ("group_short_name", "constituency", "seats", "vacancy")
    list_filter = (VacancyFilter, "group", "constituency")
    fields = ("group", "constituency", "seats", "version")

    def get_queryset(self, request):
        return seats_read()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group":
            kwargs["queryset"] = seat_groups()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="group", ordering="group__acronym")
    def group_short_name(self, obj):
        return obj.group.short_name

    @admin.display(description="today")
    def vacancy(self, obj):
        return seat_view(obj, clock.today()).vacancy or "All seats held"

    def write(self, request, obj, form, change):
        seat_save(seat=obj, by=request.user)


class EndingFilter(admin.SimpleListFilter):
    title = "term"
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [
            ("ending", f"Ends in the next {ENDING_DAYS} days"),
            ("current", "Current"),
            ("past", "Ended"),
        ]

    def queryset(self, request, queryset):
        today = clock.today()
        if self.value() == "ending":
            return queryset.filter(end__gte=today, end__lte=today + timedelta(days=ENDING_DAYS))
        if self.value() == "current":
            return queryset.filter(start__lte=today).exclude(end__lt=today)
        if self.value() == "past":
            return queryset.filter(end__lt=today)
        return queryset


@admin.register(Membership)
class MembershipAdmin(StaleEditRefused, admin.ModelAdmin):
    """Who holds a seat. End a term by giving its last day ("to"): it stays, dated."""

    list_display = ("person", "organisation", "role", "seat", "start", "end", "flag")
    list_filter = (EndingFilter, "role", "seat__group", "seat__constituency")
    search_fields = ("person__name", "organisation")
    fields = ("seat", "person", "organisation", "role", "alternate_for", "start", "end", "version")
    change_list_template = "admin/representation/membership/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("person", "seat__group", "seat__constituency", "alternate_for__person")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "seat":
            kwargs["queryset"] = Seat.objects.select_related("group", "constituency")
        elif db_field.name == "alternate_for":
            kwargs["queryset"] = Membership.objects.filter(role=Role.MEMBER).select_related(
                "person", "seat__group", "seat__constituency"
            )
        elif db_field.name == "person":
            kwargs["queryset"] = Person.objects.filter(erased_at=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="flag")
    def flag(self, obj):
        return "Alternate from the member's organisation" if obj.same_organisation_as_member else ""

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser  # a term is ended, not deleted: history stays

    def write(self, request, obj, form, change):
        membership_save(membership=obj, by=request.user)
        if obj.same_organisation_as_member:
            messages.warning(request, same_organisation_warning(obj))

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="representation_membership_import",
            ),
            path(
                "attention/",
                self.admin_site.admin_view(self.attention_view),
                name="representation_membership_attention",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """The representatives spreadsheet: checked whole, stored only if every row is
        good (as ``manage.py import_representatives``)."""
        if not request.user.has_perm("representation.import_representatives"):
            raise PermissionDenied
        errors = []
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                outcome = import_representatives(form.cleaned_data["file"].read(), by=request.user)
            except ImportRefused as refused:
                errors = refused.errors
            else:
                messages.success(request, f"Imported. {outcome.summary()}")
                for warning in outcome.warnings:
                    messages.warning(request, warning)
                return HttpResponseRedirect(reverse("admin:representation_membership_changelist"))
        return TemplateResponse(
            request,
            "admin/representation/import.html",
            {
                **self.admin_site.each_context(request),
                "title": "Import representatives",
                "opts": self.model._meta,
                "form": form,
                "errors": errors,
            },
            status=400 if errors or form.errors else 200,
        )

    def attention_view(self, request):
        """Terms ending in the next 60 days, and seats vacant today."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = clock.today()
        ending = self.get_queryset(request).filter(
            end__gte=today, end__lte=today + timedelta(days=ENDING_DAYS)
        )
        vacant = [view for view in (seat_view(s, today) for s in seats_read()) if view.vacant]
        return TemplateResponse(
            request,
            "admin/representation/attention.html",
            {
                **self.admin_site.each_context(request),
                "title": "Terms ending and vacant seats",
                "opts": self.model._meta,
                "ending": ending.order_by("end", "pk"),
                "vacant": vacant,
                "days": ENDING_DAYS,
                "today": today,
            },
        )


@admin.register(Person)
class PersonAdmin(StaleEditRefused, admin.ModelAdmin):
    """Representatives by name. A superuser erases a name on request (the action)."""

    list_display = ("__str__", "erased_at")
    search_fields = ("name",)
    fields = ("name", "version")
    actions = ("erase",)

    def write(self, request, obj, form, change):
        obj.full_clean()
        obj.save()

    def has_delete_permission(self, request, obj=None):
        return False  # erase the name instead: the seat's history stays

    def get_actions(self, request):
        found = super().get_actions(request)
        if not request.user.is_superuser:
            found.pop("erase", None)
        return found

    @admin.action(description="Erase the name on request (pages, exports and history)")
    def erase(self, request, queryset):
        for person in queryset:
            person_erase(person=person, by=request.user)
        messages.success(request, f"{queryset.count()} names removed on request.")
