from django import template

from core.templatetags import words

register = template.Library()
# The same filters every template has (core/templatetags/words.py), for templates that
# still load this library.
register.filter("when", words.when)
register.filter("day", words.day)
