"""Path converters for ids and names: what no row could have never reaches a view.

Django's `int` takes any run of digits, and an id past 2^63 - 1 overflows SQLite's integers (and
every bigint); its `str` takes any character, and PostgreSQL refuses a NUL in a query. Each
converter matches only what the database can hold, so anything else is a 404. config/urls.py
registers them once; every app's urls.py uses `<id:...>` and `<text:...>` (and `<tag:...>`).
"""

MAX_ID = 2**63 - 1


class IdConverter:
    """A row id: 0 to 2^63 - 1."""

    regex = "[0-9]{1,30}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("too big for an id")  # no match: a 404
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


class TextConverter:
    """A name in one path segment (a username, a slug): no control characters, which no name holds."""

    regex = r"[^/\x00-\x1f\x7f]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)
