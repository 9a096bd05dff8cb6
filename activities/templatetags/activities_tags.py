from django import template

from activities import formatting

register = template.Library()
register.filter("when", formatting.when)
register.filter("day", formatting.day)
