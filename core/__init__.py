"""Helpers every app may use: the clock, form and CSV helpers, natural keys, admin mixins.

The bottom layer: it imports none of the project's apps.
"""
