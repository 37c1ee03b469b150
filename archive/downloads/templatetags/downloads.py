from django import template
from django.urls import reverse

from archive.downloads.book import download_slug

register = template.Library()


@register.simple_tag
def download_url(story, file_format: str) -> str:
    """`{% download_url story "epub" %}`: the work's download link in that format."""
    return reverse(f"downloads:{file_format}", args=[story.pk, download_slug(story)])
