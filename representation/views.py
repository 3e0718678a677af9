from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core import clock
from groups.models import GovernanceGroup

from .api import popolo, representative_as_json
from .enums import ERASED_NAME
from .forms import OrganisationSearchForm, RepresentativesFilterForm
from .models import Constituency, Membership, Seat
from .selectors import (
    constituency_list,
    constituency_seats,
    pmo_mailbox,
    representatives,
)


@require_safe
def constituencies(request):
    form = OrganisationSearchForm(request.GET or None)
    organisation = form.cleaned_data["organisation"] if form.is_valid() else ""
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "representation/constituency_list.html",
        {
            "form": form,
            "organisation": organisation,
            "constituencies": constituency_list(organisation=organisation),
            "any_recorded": Constituency.objects.exists(),
            "pmo": pmo_mailbox(),
        },
        status=status,
    )


@require_safe
def constituency(request, slug):
    found = Constituency.objects.filter(slug=slug).first()
    if found is None:
        raise Http404(f"No constituency has the address {slug!r}: see /constituencies/.")
    today = clock.today()
    return render(
        request,
        "representation/constituency_detail.html",
        {
            "constituency": found,
            "seats": constituency_seats(found, today),
            "pmo": pmo_mailbox(),
            "erased_name": ERASED_NAME,
            "today": today,
        },
    )


@require_safe
def representatives_json(request):
    form = RepresentativesFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse(
            {
                "error": "Give group (a slug from /api/groups/) and constituency (a slug from "
                "/constituencies/), either or both, or neither.",
                "errors": form.errors.get_json_data(),
            },
            status=400,
        )
    today = clock.today()
    found = [
        representative_as_json(m, today=today)
        for m in representatives(
            group=form.cleaned_data["group"],
            constituency=form.cleaned_data["constituency"],
        )
    ]
    return JsonResponse({"count": len(found), "representatives": found})


@require_safe
def popolo_json(request):
    document = popolo(
        groups=GovernanceGroup.objects.select_related("parent")
        .prefetch_related("source_notes")
        .order_by("pk"),
        constituencies=Constituency.objects.order_by("pk"),
        seats=Seat.objects.select_related("group", "constituency").order_by("pk"),
        memberships=Membership.objects.select_related(
            "person", "seat__group", "seat__constituency"
        ).order_by("pk"),
    )
    return JsonResponse(document)
