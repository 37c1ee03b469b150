"""`{% url %}` for every template (a builtin: config/settings.py TEMPLATES), as Django's own, but
for views whose arguments are ids the address comes from a frame kept per view
(archive/core/reversing.py `reverse_ids`) instead of reverse() on each link."""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from archive.core.reversing import reverse_ids

register = template.Library()


class FramedURLNode(URLNode):
    def render(self, context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        url = ""
        try:
            url = reverse_ids(self.view_name.resolve(context), args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token) -> FramedURLNode:
    """Django's `{% url %}` syntax, parsed by Django; rendered by `FramedURLNode`."""
    node = django_url(parser, token)
    return FramedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
