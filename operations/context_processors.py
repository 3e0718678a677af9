from django.utils.functional import SimpleLazyObject

from .selectors import data_version_for


def data_version(request):
    """The data version for the footer, read only by templates that show it."""
    return {"data_version": SimpleLazyObject(lambda: data_version_for(request))}
