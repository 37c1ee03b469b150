from django.http import HttpRequest

from archive.caching.reader_parts import CSRF_PLACEHOLDER, is_shared_render


def shared_csrf_token(request: HttpRequest) -> dict:
    """On a page rendered for the shared cache, forms carry a placeholder, not this visitor's
    CSRF token: the middleware puts each visitor's own in as it serves the page. (Listed after
    Django's own csrf processor, which it overrides for those pages only.)"""
    return {"csrf_token": CSRF_PLACEHOLDER} if is_shared_render(request) else {}
