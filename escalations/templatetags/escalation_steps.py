from django import template

from escalations.answers import Steps

register = template.Library()


@register.filter
def as_steps(route):
    """A route's steps (``RouteStep``s) as ``includes/answer_steps.html`` shows them."""
    return Steps.of(route)
