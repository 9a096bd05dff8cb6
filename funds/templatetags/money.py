from django import template

from funds.money import format_money

register = template.Library()


@register.filter
def yuan(value):
    """¥1,234.50"""
    if value in (None, ""):
        return ""
    return format_money(value)


@register.filter
def yuan_abs(value):
    """¥1,234.50 without a sign (the word 收入/支出 next to it says which way)."""
    if value in (None, ""):
        return ""
    return format_money(abs(value))


@register.filter
def percent_of(part, whole):
    """Progress in whole percent, 0..100, for a progress bar."""
    try:
        if not whole or whole <= 0:
            return 0
        return max(0, min(100, int(part * 100 / whole)))
    except (TypeError, ValueError, ArithmeticError):
        return 0


@register.filter
def qty(value):
    """2.50 -> 2.5, 3.00 -> 3"""
    try:
        return f"{value.normalize():f}"
    except AttributeError:
        return value
