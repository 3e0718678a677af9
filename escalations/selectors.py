from groups.selectors import cached_for_version

from .routes import RouteData


def route_data_for(request) -> RouteData:
    """Every group and mailbox a route needs, cached until the data changes."""
    return cached_for_version(request, "route-data", RouteData.load)
