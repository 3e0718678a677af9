from django import template

register = template.Library()


@register.filter
def any_suggested(steps) -> bool:
    """Whether any of the route's steps is the directory's suggestion, not the source's rule."""
    return any(step.suggested for step in steps)
