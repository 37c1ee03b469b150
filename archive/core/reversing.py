"""URLs that lists link by the hundred (works, authors, tags), made without reversing each one.

`reverse()` resolves the view's pattern and checks the result every time: on a list of twenty
cards it cost more than rendering them. `url_with(view, value)` reverses the view once, with a
marker in place of its one argument, and then puts each value where the marker was, quoted as
`reverse()` quotes it. A test holds it to `reverse()`'s answers for awkward values.
"""

from functools import cache, lru_cache
from urllib.parse import quote

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# What reverse() leaves unquoted in a path: RFC 3986's sub-delimiters and "/~:@".
URL_SAFE = "!$&'()*+,;=/~:@"
_MARKERS = {int: 987654321, str: "urlvaluemarker"}


def url_with(view: str, value: int | str) -> str:
    """`reverse(view, args=[value])`, for a view whose URL has one argument, converted already
    (an int, or a string as its path converter's `to_url` gives it)."""
    before, after = _frame(view, type(value))
    return f"{before}{quote(str(value), safe=URL_SAFE)}{after}"


@cache
def _frame(view: str, kind: type) -> tuple[str, str]:
    marker = _MARKERS[kind]
    before, after = reverse(view, args=[marker]).split(str(marker))
    return before, after


# reverse() for any view whose arguments are ids, through a frame made once per view: the `{% url %}`
# tag of every template (archive/core/templatetags/url_frames.py) and a chapter's own address. A
# page links twenty to thirty such addresses (the header's alone are eight), and reverse() cost
# more than rendering the links.
_ID_MARKER = 918273645000  # + the argument's position: each marker appears once in a frame
_MAX_ID = 10**30  # the id converter's longest (archive/core/converters.py)


def reverse_ids(viewname, args=None, kwargs=None, current_app=None) -> str:
    """`reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)`, from a frame kept
    for the view when every argument is an id (a non-negative int); otherwise reverse() itself."""
    args, kwargs = args or (), kwargs or {}
    names = tuple(sorted(kwargs))
    values = [*args, *(kwargs[name] for name in names)]
    if all(type(value) is int and 0 <= value < _MAX_ID for value in values):
        pieces = _id_frame(get_script_prefix(), get_urlconf(), viewname, len(args), names, current_app)
        if pieces is not None:
            return "".join(piece for pair in zip(pieces, [*map(str, values), ""], strict=True) for piece in pair)
    return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)


@lru_cache(maxsize=1024)
def _id_frame(prefix: str, urlconf, viewname, positional: int, names: tuple, current_app) -> tuple[str, ...] | None:
    """The view's address cut around its arguments, or None where it cannot be cut (then every
    call reverses). The script prefix and URLconf are part of the key: reverse() reads both."""
    markers = [str(_ID_MARKER + position) for position in range(positional + len(names))]
    try:
        url = reverse(
            viewname,
            args=[int(marker) for marker in markers[:positional]],
            kwargs={name: int(marker) for name, marker in zip(names, markers[positional:], strict=True)},
            current_app=current_app,
        )
    except NoReverseMatch:
        return None  # reverse() raises it again, for the caller to see
    pieces = []
    for marker in markers:
        if url.count(marker) != 1:
            return None
        before, url = url.split(marker)
        pieces.append(before)
    return (*pieces, url)
