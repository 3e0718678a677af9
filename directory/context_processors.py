from django.utils.functional import SimpleLazyObject

from .navigation import main_menu
from .selectors import data_version_for


def data_version(request):
    """The data version for the footer, read only by templates that show it."""
    return {"data_version": SimpleLazyObject(lambda: data_version_for(request))}


def navigation(request):
    """The main menu, its current section marked, for every page."""
    return {"main_menu": SimpleLazyObject(lambda: main_menu(request.path))}
