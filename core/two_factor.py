"""Two-factor sign-in for staff: the admin opens only to a session verified by a code.

With ``settings.ADMIN_2FA`` on (DJANGO_ADMIN_2FA; on by default when debug is off), a staff
user who has given their password still has no admin page until the session is verified
(django-otp's ``OTPMiddleware`` reads it): ``StaffAdminSite.has_permission`` requires it for
every admin view, and its login page sends such a user on to the code step.

- First sign-in (no confirmed authenticator): the enrolment page shows the key as a QR code
  (SVG made on the server by segno) and as text; a current code confirms it, and ten
  single-use recovery codes are shown, once.
- Each later sign-in asks for a code from the app, or a recovery code (used up by signing in).
- A wrong code counts as a failed sign-in for django-axes (the signal ``user_login_failed``,
  with the request and the username), so wrong codes lock out exactly as wrong passwords do.
"""

import math
from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


def throttle_wait(devices) -> int:
    """Seconds until django-otp's throttle lets ``devices`` check a code again (0: now).

    After a wrong code django-otp refuses every code, right or wrong, for a while (1 s, then
    doubling); it measures that against the real time, as it does the codes themselves."""
    wait = 0
    for device in devices:
        allowed, data = device.verify_is_allowed()
        locked_until = (data or {}).get("locked_until")
        if not allowed and locked_until is not None:
            wait = max(wait, math.ceil((locked_until - timezone.now()).total_seconds()), 1)
    return wait


def too_many_tries(wait: int) -> str:
    return (
        f"Too many tries: wait {wait} second{'s' if wait != 1 else ''} and enter the code "
        "your app shows then."
    )


def key_in_groups(key: str) -> str:
    """The key as an app's manual entry shows it: groups of four characters."""
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def needs_second_factor(request) -> bool:
    """A signed-in active staff user whose session is not yet verified, with 2FA on."""
    user = request.user
    return (
        settings.ADMIN_2FA
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and not user.is_verified()
    )


def is_staff_signed_in(request) -> bool:
    """Active staff, past the second factor when it is on: whom the admin opens to, and any
    other staff-only page."""
    user = request.user
    return user.is_active and user.is_staff and not needs_second_factor(request)


def recovery_codes_issue(user) -> list[str]:
    """A fresh set of single-use recovery codes for ``user``, replacing any earlier set."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _credentials(user) -> dict:
    return {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}


def _failed(request, user) -> None:
    """Count a wrong code as a failed sign-in: django-axes records it and, at the limit,
    marks the request locked out (its middleware then answers with the lockout page)."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


def _qr_svg(uri: str) -> str:
    return segno.make(uri, error="m").svg_inline(
        scale=4, border=4, dark="#0b0c0c", light="#ffffff", svgclass="qr-code", lineclass=None
    )


class StaffAdminSite(admin.AdminSite):
    """The admin, open only to staff whose session passed the second factor (when on)."""

    def has_permission(self, request):
        return is_staff_signed_in(request)

    def login(self, request, extra_context=None):
        if needs_second_factor(request):
            return redirect(_with_next("admin:two_factor", request))
        return super().login(request, extra_context)

    def get_urls(self):
        return [
            path("two-factor/", self.two_factor_view, name="two_factor"),
            path("two-factor/set-up/", self.enrol_view, name="two_factor_enrol"),
            path("two-factor/sign-out/", self.sign_out_view, name="two_factor_sign_out"),
            *super().get_urls(),
        ]

    def _page(self, request, template, context, status=200):
        return TemplateResponse(
            request,
            template,
            {
                **self.each_context(request),
                "next": _next(request),
                **context,
            },
            status=status,
        )

    def _refused(self, request):
        """Where a request without a pending second factor goes: the login page, or the
        admin itself when the session is verified already."""
        if request.user.is_authenticated and self.has_permission(request):
            return redirect(_next(request))
        return redirect(_with_next("admin:login", request))

    def two_factor_view(self, request):
        """The code step of each sign-in: a code from the app, or a recovery code."""
        if not needs_second_factor(request):
            return self._refused(request)
        user = request.user
        if not user_has_device(user):
            return redirect(_with_next("admin:two_factor_enrol", request))
        credentials = _credentials(user)
        if AxesProxyHandler.is_locked(request, credentials):
            return get_lockout_response(request, None, credentials)
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            code = form.cleaned_data["code"]
            # An app's code is digits, a recovery code is not: the throttle that matters is
            # that of the kind of device the code is for (a code tried on the other kind
            # counts as wrong there).
            kind = [
                d for d in devices_for_user(user) if isinstance(d, TOTPDevice) == code.isdigit()
            ]
            wait = throttle_wait(kind)
            device = None if wait else match_token(user, code)
            if device is not None:
                otp_login(request, device)
                return redirect(_next(request))
            _failed(request, user)
            form.add_error(
                "code",
                too_many_tries(wait)
                if wait
                else "That code was not accepted. Enter the current code from "
                "your authenticator app, or an unused recovery code.",
            )
        status = 400 if form.errors else 200
        context = {"title": "Enter your sign-in code", "form": form}
        return self._page(request, "admin/two_factor/verify.html", context, status)

    def enrol_view(self, request):
        """First sign-in: set up an authenticator app, confirm it, get recovery codes."""
        if not needs_second_factor(request):
            return self._refused(request)
        user = request.user
        if user_has_device(user):
            return redirect(_with_next("admin:two_factor", request))
        credentials = _credentials(user)
        if AxesProxyHandler.is_locked(request, credentials):
            return get_lockout_response(request, None, credentials)
        # One unconfirmed device per user, kept until confirmed: reloading the page shows
        # the same key, so an app set up from it keeps working.
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            wait = throttle_wait([device])
            with transaction.atomic():
                confirmed = not wait and device.verify_token(form.cleaned_data["code"])
                if confirmed:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    codes = recovery_codes_issue(user)
            if confirmed:
                otp_login(request, device)
                context = {"title": "Save your recovery codes", "codes": codes}
                return self._page(request, "admin/two_factor/recovery_codes.html", context)
            _failed(request, user)
            form.add_error(
                "code",
                too_many_tries(wait)
                if wait
                else "That code was not accepted. Enter the 6-digit code your "
                "authenticator app shows now.",
            )
        context = {
            "title": "Set up two-factor sign-in",
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "key_groups": key_in_groups(b32encode(device.bin_key).decode()),
        }
        status = 400 if form.errors else 200
        return self._page(request, "admin/two_factor/enrol.html", context, status)

    def sign_out_view(self, request):
        """Sign out from the code step (the admin's own sign-out is behind the second
        factor). POST only, as the admin's."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        logout(request)
        return redirect("admin:login")
