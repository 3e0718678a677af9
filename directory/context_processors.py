from django.utils.functional import SimpleLazyObject

from .navigation import main_menu


def navigation(request):
    """The main menu, its current section marked, for every page."""
    return {"main_menu": SimpleLazyObject(lambda: main_menu(request.path))}
