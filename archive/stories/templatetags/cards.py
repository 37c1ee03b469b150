from django import template

from archive.stories.cards import story_cards as _story_cards

register = template.Library()


@register.simple_tag
def story_cards(stories):
    """`{% story_cards page.object_list as cards %}`: the works' cards, kept (archive/stories/cards.py)."""
    return _story_cards(stories)
