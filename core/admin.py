"""Admin mixins: who may add and delete, and no stale form ever saved over a newer change."""

import logging

from concurrency.admin import ConcurrentBaseModelFormSet
from concurrency.compat import concurrency_param_name
from concurrency.exceptions import RecordModifiedError
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst

logger = logging.getLogger(__name__)


class SuperuserAddsAndDeletes:
    """Only superusers add or delete (groups and meeting series)."""

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


def _display(obj, name):
    field = obj._meta.get_field(name)
    if field.many_to_many:
        value = ", ".join(str(item) for item in getattr(obj, name).all())
    elif field.choices:
        value = getattr(obj, f"get_{name}_display")()
    else:
        value = getattr(obj, name)
    return f"{capfirst(field.verbose_name)}: {value if value not in (None, '') else '(empty)'}"


def stale_edit_message(obj, field_names) -> str:
    """Who changed ``obj`` since it was opened, when, and what ``field_names`` say now."""
    stored = type(obj)._default_manager.select_related("updated_by").filter(pk=obj.pk).first()
    if stored is None:
        return f"{obj} was deleted after you opened it, so your edit was not saved."
    who = stored.updated_by.get_username() if stored.updated_by else "someone outside the admin"
    when = timezone.localtime(stored.updated_at).strftime("%d %B %Y at %H:%M:%S")
    model_fields = {field.name for field in obj._meta.get_fields()}
    shown = [name for name in field_names if name != "version" and name in model_fields]
    current = "; ".join(_display(stored, name) for name in shown)
    now_reads = f" It now reads: {current}." if current else ""
    return (
        f"{stored} was changed by {who} on {when} (UK time), after you opened it, so your "
        f"edit was not saved.{now_reads} Redo your edit on the current version."
    )


class VersionCheckedForm(forms.ModelForm):
    """Refuses, with the current values, a form opened before the row's latest change.

    The check here gives the user their form back with the reason; the version compared
    in the UPDATE (django-concurrency) is what guarantees it when two saves race.
    """

    def has_changed(self):
        """Whether the user changed anything: a new row's empty version is not a change, so
        an untouched extra inline row is skipped rather than validated."""
        return any(name != "version" for name in self.changed_data)

    def clean(self):
        cleaned = super().clean()
        submitted = cleaned.get("version")
        if (
            self.instance.pk is not None
            and submitted is not None
            and submitted != self.instance.version
        ):
            editable = [name for name in self.fields if name in self.changed_data]
            raise ValidationError(
                stale_edit_message(self.instance, editable or list(self.fields)),
                code="stale",
            )
        return cleaned


SAVE_COLLIDED = (
    "Nothing was saved: your save collided with another one made at the same moment. "
    "What you typed is below: check it and press Save again."
)


def _refusing(form_class, messages):
    """``form_class`` refusing with ``messages``: the form the user filled, given back."""

    class Refused(form_class):
        def clean(self):
            super().clean()
            raise ValidationError(messages)

    return Refused


class StaleEditRefused:
    """Optimistic locking for a ModelAdmin: its change form, inlines and editable list.

    The model is ``core.models.Versioned``. The change form and inlines carry ``version``
    as a hidden field (list it in the fields); the editable list carries each row's
    version in its management form. A save of a row changed since it was shown is
    refused, nothing of it is written, and the user is told who changed it, when, and
    what it now says. Subclasses that save through a service override ``write()``.
    """

    form = VersionCheckedForm
    stale_template = "admin/stale_edit.html"

    def write(self, request, obj, form, change):
        obj.save()

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        obj.updated_by = request.user
        return obj

    def save_model(self, request, obj, form, change):
        if not (change and form.prefix):  # the change form: the form carried the version
            self.write(request, obj, form, change)
            return
        # A row of the editable list: the version it was shown with comes with the list.
        obj.version = self._listed_version(request, obj)
        try:
            with transaction.atomic():
                self.write(request, obj, form, change)
        except RecordModifiedError:
            request._stale_rows = [*getattr(request, "_stale_rows", []), obj.pk]
            messages.error(request, stale_edit_message(obj, self.list_editable))
        except ValidationError as refused:  # the service's rules, should the row pass its form
            request._stale_rows = [*getattr(request, "_stale_rows", []), obj.pk]
            messages.error(request, f"{obj}: not saved. {' '.join(refused.messages)}")
        else:
            request._saved_rows = getattr(request, "_saved_rows", 0) + 1

    @staticmethod
    def _listed_version(request, obj):
        try:
            return int(request.POST.get(f"{concurrency_param_name}_{obj.pk}", ""))
        except ValueError:
            return -1  # missing or garbled: never matches, so the save is refused

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            inline_form.instance.updated_by = request.user
        super().save_formset(request, form, formset, change)

    def get_changelist_formset(self, request, **kwargs):
        kwargs["formset"] = ConcurrentBaseModelFormSet  # renders each row's version
        return super().get_changelist_formset(request, **kwargs)

    def log_change(self, request, obj, message):
        if obj.pk in getattr(request, "_stale_rows", ()):
            return None
        return super().log_change(request, obj, message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if level == messages.SUCCESS and getattr(request, "_stale_rows", None):
            # The list's "N were changed" counts the refused rows too: say what was saved.
            saved = getattr(request, "_saved_rows", 0)
            if not saved:
                return
            opts = self.model._meta
            name = opts.verbose_name if saved == 1 else opts.verbose_name_plural
            message = f"{saved} {name} saved."
        super().message_user(request, message, level, *args, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "_save_refused", None)
        return form if refused is None else _refusing(form, refused)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (IntegrityError, ValidationError) as exc:
            # The save refused what the form let through: the form again, as the user
            # filled it, with the reason (409 when the database refused it).
            if getattr(request, "_save_refused", None) is not None:
                raise
            conflict = isinstance(exc, IntegrityError)
            if conflict:
                logger.warning("Save refused by the database: %s", exc)
            request._save_refused = SAVE_COLLIDED if conflict else exc.messages
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if conflict:
                response.status_code = 409
            return response
        except RecordModifiedError as exc:  # a save that raced past the form's check
            return TemplateResponse(
                request,
                self.stale_template,
                {
                    **self.admin_site.each_context(request),
                    "title": "Your edit was not saved",
                    "message": stale_edit_message(exc.target, []),
                    "opts": self.model._meta,
                    "again_url": request.get_full_path(),
                },
                status=409,
            )
