"""`|crispy` and `|as_crispy_field`, rendered once per process and language for forms
that every viewer sees the same while empty.

crispy-forms renders each field through several templates: measured here, a two-field
form cost more than the rest of a cached page (core/pagecache.py) together. The
sign-up, comment and feedback forms sit in personal blocks, re-rendered on every
request, yet an empty one is the same for everybody. A form class says so with
`same_for_everyone = True` (no choices, initial values or attributes set per request);
a bound form (one with what the person typed, and its errors) is always rendered afresh.
"""

from crispy_forms.templatetags.crispy_forms_filters import (
    as_crispy_field,
    as_crispy_form,
)
from django import template
from django.conf import settings
from django.utils.translation import get_language

register = template.Library()
_rendered: dict = {}


def _key(form, field_name=None):
    if form.is_bound or not getattr(type(form), "same_for_everyone", False):
        return None
    return (
        type(form),
        form.prefix,
        form.auto_id,
        field_name,
        get_language(),
        settings.CRISPY_TEMPLATE_PACK,
    )


@register.filter
def crispy_once(form):
    key = _key(form)
    if key is None:
        return as_crispy_form(form)
    if key not in _rendered:
        _rendered[key] = as_crispy_form(form)
    return _rendered[key]


@register.filter
def crispy_field_once(field):
    key = _key(field.form, field.name)
    if key is None:
        return as_crispy_field(field)
    if key not in _rendered:
        _rendered[key] = as_crispy_field(field)
    return _rendered[key]
