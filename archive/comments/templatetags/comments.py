from django import template

from archive.comments.section import section_context

register = template.Library()


@register.inclusion_tag("comments/comment_section.html", takes_context=True)
def comment_section(context, chapter) -> dict:
    """A page of the chapter's comment threads and the form to add one, in a fixed number of
    queries however many comments there are (archive/comments/threads.py)."""
    return section_context(context["request"], chapter=chapter, story=chapter.story)
