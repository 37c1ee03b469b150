from django import template

from archive.comments.section import commented_chapter, section_context

register = template.Library()


@register.inclusion_tag("comments/comment_section.html", takes_context=True)
def comment_section(context, chapter) -> dict:
    """A page of the chapter's comment threads and the form to add one, in a fixed number of
    queries however many comments there are (archive/comments/threads.py)."""
    return section_context(context["request"], chapter=chapter, story=chapter.story)


@register.inclusion_tag("comments/comment_section.html", takes_context=True)
def work_comment_section(context, story, chapters) -> dict:
    """The entire-work page's: a page of every chapter's threads, each saying its chapter, and the
    form to comment on the last chapter; the same few queries however many chapters and comments."""
    return section_context(context["request"], chapter=commented_chapter(chapters), story=story, whole_work=chapters)
