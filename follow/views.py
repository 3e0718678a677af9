"""The pages of following by email: the form, confirming, managing and unsubscribing.

A subscription's token in the address is its signature: 256 random bits, made for that one
subscription and deleted with it. It is looked up by the unique index on ``token`` only
(the database compares it; nothing here compares tokens by hand). Pages carrying a token are
never cached (the page cache, a browser's or a proxy's); the site's Referrer-Policy
(same-origin) keeps them from other sites. Not "no-referrer": a browser then sends
``Origin: null`` with the page's forms, which the CSRF check refuses.
"""

import re

from django.db.models import F
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from core import clock
from groups.models import GovernanceGroup, Workstream

from . import services, tasks
from .enums import Reminder, Topic
from .forms import ChoicesForm, FollowForm
from .models import Subscription
from .services import TooManyRequests

TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _groups():
    return list(
        GovernanceGroup.objects.with_basics().order_by(
            F("workstream__order").asc(nulls_last=True),
            F("level__number").asc(nulls_last=True),
            "name",
        )
    )


def _form_context(form, groups, workstreams) -> dict:
    """The form with its groups under their workstream's name, each with whether it is
    ticked, and the workstreams and topics likewise."""
    ticked_groups = set(form["groups"].value() or ())
    ticked_workstreams = set(form["workstreams"].value() or ())
    ticked_topics = set(form["topics"].value() or ())
    by_workstream: dict[str, list] = {}
    for group in groups:
        name = group.workstream.name if group.workstream_id else "Other groups (no workstream)"
        by_workstream.setdefault(name, []).append((group, group.slug in ticked_groups))
    return {
        "form": form,
        "by_workstream": list(by_workstream.items()),
        "workstream_choices": [(w, w.slug in ticked_workstreams) for w in workstreams],
        "topic_choices": [(value, label, value in ticked_topics) for value, label in Topic.choices],
    }


def _summary(subscription) -> dict:
    """What a subscription follows and how, in words, for its pages."""
    labels = dict(Topic.choices)
    groups = [g.display_name for g in subscription.groups.all()]
    workstreams = [f"the {w.name} workstream" for w in subscription.workstreams.all()]
    return {
        "groups": groups,
        "workstreams": workstreams,
        "following": ", ".join(workstreams + groups),
        # The topics' short names ("Meeting changes"), without the form's explanations.
        "topics": [labels[t].split(" (")[0] for t in subscription.topics if t in labels],
        "frequency": subscription.get_frequency_display(),
        "reminder": subscription.get_reminder_days_display(),
    }


def _gone(request, *, unsubscribe=False):
    """The answer for a token that matches no subscription (never confirmed in 7 days,
    unsubscribed, or mistyped)."""
    return render(request, "follow/gone.html", {"unsubscribe": unsubscribe}, status=404)


def _subscription(token: str) -> Subscription | None:
    """The subscription whose token is ``token``, or None. Anything that cannot be a token
    (``follow.models.new_token``) is none, without asking the database."""
    if not TOKEN.fullmatch(token):
        return None
    return (
        Subscription.objects.filter(token=token).prefetch_related("groups", "workstreams").first()
    )


def _too_many(request, retry_at):
    response = render(request, "follow/too_many.html", {"retry_at": retry_at}, status=429)
    response["Retry-After"] = str(max(1, int((retry_at - clock.now()).total_seconds())))
    return response


@never_cache
def follow_form(request):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    groups = _groups()
    workstreams = list(Workstream.objects.all())
    client = request.META.get("REMOTE_ADDR", "")
    if request.method == "POST":
        retry_at = services.client_retry_at(client, now=clock.now())
        if retry_at is not None:
            return _too_many(request, retry_at)
        form = FollowForm(request.POST, groups=groups, workstreams=workstreams)
        if form.is_valid():
            try:
                services.request_follow(
                    email=form.cleaned_data["email"],
                    choices=form.cleaned_data["choices"],
                    client=client,
                    now=clock.now(),
                )
            except TooManyRequests as exc:
                return _too_many(request, exc.retry_at)
            tasks.send_soon()  # the worker sends the confirmation now, not at cron's next run
            return redirect("follow:sent")
    else:
        form = FollowForm(
            initial={
                "groups": request.GET.getlist("group"),
                "workstreams": request.GET.getlist("workstream"),
                "topics": Topic.values,
                "frequency": Subscription._meta.get_field("frequency").default,
                "reminder_days": Reminder.NONE,
            },
            groups=groups,
            workstreams=workstreams,
        )
    context = _form_context(form, groups, workstreams)
    return render(request, "follow/form.html", context, status=400 if form.is_bound else 200)


@never_cache
def sent(request):
    return render(request, "follow/sent.html")


@never_cache
def confirm(request, token):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    subscription = _subscription(token)
    if subscription is None:
        return _gone(request)
    confirmed_now = False
    if request.method == "POST":
        confirmed_now = not subscription.is_confirmed
        services.confirm(subscription, now=clock.now())
    return render(
        request,
        "follow/confirm.html",
        {
            "subscription": subscription,
            "summary": _summary(subscription),
            "posted": request.method == "POST",
            "confirmed_now": confirmed_now,
        },
    )


@csrf_exempt  # RFC 8058: a mail client's one-click POST carries no cookie and no token
@never_cache
def unsubscribe(request, token):
    """GET: a page with a button. POST (``List-Unsubscribe=One-Click`` from a mail client,
    or the button): the subscription ends at once. No session is read or written."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    subscription = _subscription(token)
    if subscription is None:
        return _gone(request, unsubscribe=True)
    if request.method == "POST":
        services.end(subscription)
        return render(request, "follow/ended.html")
    return render(
        request,
        "follow/unsubscribe.html",
        {"subscription": subscription, "summary": _summary(subscription)},
    )


@never_cache
def manage(request, token):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    subscription = _subscription(token)
    if subscription is None:
        return _gone(request)
    if not subscription.is_confirmed:
        return render(
            request, "follow/unconfirmed.html", {"subscription": subscription}, status=409
        )
    if request.method == "POST" and "stop" in request.POST:
        services.end(subscription)
        return render(request, "follow/ended.html")
    groups = _groups()
    workstreams = list(Workstream.objects.all())
    if request.method == "POST":
        form = ChoicesForm(request.POST, groups=groups, workstreams=workstreams)
        if form.is_valid():
            services.change(subscription, form.cleaned_data["choices"])
            return redirect(reverse("follow:manage", args=[token]) + "?saved=1")
    else:
        form = ChoicesForm(
            initial={
                "groups": [g.slug for g in subscription.groups.all()],
                "workstreams": [w.slug for w in subscription.workstreams.all()],
                "topics": subscription.topics,
                "frequency": subscription.frequency,
                "reminder_days": subscription.reminder_days,
            },
            groups=groups,
            workstreams=workstreams,
        )
    context = _form_context(form, groups, workstreams)
    context.update(
        {"subscription": subscription, "saved": request.GET.get("saved") == "1", "token": token}
    )
    return render(request, "follow/manage.html", context, status=400 if form.is_bound else 200)
