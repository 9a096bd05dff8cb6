"""{% personal "name" [key=value …] %}…{% endpersonal %}: the part of a page that is one
person's own.

A cached page (core/pagecache.py) is shared by everyone who sees the same page: the
same building, role and staff status. What differs from one such person to the next
(their unread count, their household's vote, their "me too") goes inside a personal
block: the cache keeps a placeholder there and renders the block afresh for whoever asks,
from the page's personal context. Inside a loop, pass what the block needs of the loop
as arguments (`{% personal "reply" pk=item.pk %}`): they are kept in the placeholder, as
text, and are the only loop values the block may use.
"""

from django import template
from django.utils.safestring import mark_safe

from core import pagecache

register = template.Library()


class PersonalNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, name: str, arguments: dict, nodelist):
        self.name = name
        self.arguments = arguments
        self.nodelist = nodelist

    def render(self, context):
        values = {
            key: str(value.resolve(context)) for key, value in self.arguments.items()
        }
        with context.push(**values):
            html = self.nodelist.render(context)
        request = context.get("request")
        blocks = getattr(request, pagecache.RECORDING, None)
        if blocks is None:
            return html
        blocks[self.name] = self.origin.template_name
        return mark_safe(pagecache.mark(self.name, values, html))


@register.tag
def personal(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            'Use {% personal "name" [key=value …] %}…{% endpersonal %}'
        )
    arguments = template.base.token_kwargs(bits[2:], parser)
    if len(arguments) != len(bits) - 2:
        raise template.TemplateSyntaxError("personal takes key=value arguments only")
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    return PersonalNode(bits[1][1:-1], arguments, nodelist)
