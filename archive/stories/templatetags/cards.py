from django import template

from archive.stories import cards

register = template.Library()


@register.simple_tag
def story_cards(stories):
    """`{% story_cards page.object_list as cards %}`: the works' cards, kept (archive/stories/cards.py)."""
    return cards.story_cards(stories)


@register.simple_tag
def story_card(story):
    """`{% story_card story %}`: one work's card, from its prefetched authors and tags."""
    return cards.story_card(story)
