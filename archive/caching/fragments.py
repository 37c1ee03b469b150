"""Fragments every reader shares (story cards, comment bylines), kept under keys that name what
they show: a thing that changes gets a new key, so a kept fragment is never stale and nothing
needs bumping but `everything` (each deploy's migrate) and, through `template_version`, an edit
of the template. One `get_many` fetches a page's fragments; the missing ones are rendered and
kept with one `set_many`. `settings.FRAGMENT_CACHE = False` renders every one every time.
"""

import hashlib
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from archive.caching import deferred, versions
from archive.caching.reader_parts import is_shared_render

TIMEOUT = 24 * 3600


def fragment_tokens(template: str, *version_names: str) -> tuple:
    """What every fragment rendered from `template` now depends on beyond what it shows: the
    tokens of `everything` and of these versions, and the template's own digest."""
    return (*versions.current([versions.EVERYTHING, *version_names]), versions.template_version(template))


def fragment_key(kind: str, shown, tokens: tuple) -> str:
    """The key of a fragment of `kind` showing `shown` (any repr-able values), at `tokens`."""
    return f"{kind}:" + hashlib.blake2b(repr((shown, tokens)).encode(), digest_size=16).hexdigest()


def kept_fragments(
    items: Sequence, keys: Sequence[str], render: Callable[[object], str], *, prepare: Callable | None = None
) -> list[SafeString]:
    """Each item's fragment, in order: kept under its key, else `render(item)` and kept. `prepare`
    is given the items to render first, all at once (to fetch what they need in a few queries)."""
    kept = {**cache.get_many(list(keys)), **deferred.pending(keys)} if settings.FRAGMENT_CACHE else {}
    missing = [item for item, key in zip(items, keys, strict=True) if key not in kept]
    if missing and prepare is not None:
        prepare(missing)
    made: dict[str, str] = {}
    html = []
    for item, key in zip(items, keys, strict=True):
        if key not in kept and key not in made:
            made[key] = render(item)
        html.append(mark_safe(kept.get(key) or made[key]))  # noqa: S308 - our templates' output, autoescaped
    if made and settings.FRAGMENT_CACHE:
        deferred.keep(made, TIMEOUT)
    return html


def shared_fragment(
    request: HttpRequest | None,
    kind: str,
    shown,
    template: str,
    version_names: Sequence[str],
    render: Callable[[], str],
) -> SafeString:
    """`render()`, kept as a fragment where every reader of the page sees the same: on a page
    rendered for the shared cache (a guest's copy or the readers' copy, never one reader's own) it
    is kept under `shown`, the versions named, `everything` and `template`'s digest; on any other
    page it is rendered for that page alone."""
    if request is None or not is_shared_render(request):
        return mark_safe(render())  # noqa: S308 - our templates' output, autoescaped
    key = fragment_key(kind, shown, fragment_tokens(template, *version_names))
    return kept_fragments([shown], [key], lambda _: render())[0]
