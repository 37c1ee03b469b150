from django.db.models import F, Q, Window
from django.db.models.functions import Lower, RowNumber, Substr, Upper
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from archive.caching.pages import shared_page
from archive.core.prose import strip_controls
from archive.tags.models import Tag

AUTOCOMPLETE_LIMIT = 15
RELATED_LIMIT = 20
TOP_MEMBERS = 3
ALL_LETTERS_UP_TO = 300  # fandoms; a bigger archive lists one letter at a time


def _tag_or_404(name: str) -> Tag:
    tag = Tag.objects.named(name).select_related("merger").first()
    if tag is None:
        raise Http404("No such tag.")
    return tag


@shared_page()
def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    tag = _tag_or_404(name)
    if tag.merger:
        return redirect(tag.merger.get_info_url())
    related = {
        "synonyms": tag.synonyms.order_by(Lower("name")),
        "fandoms": tag.fandoms.order_by(Lower("name")),
        "characters": tag.characters.order_by("-use_count", Lower("name"))[:RELATED_LIMIT],
        "relationships": tag.relationships.filter(merger__isnull=True).order_by("-use_count", Lower("name"))[
            :RELATED_LIMIT
        ],
        "members": {},
    }
    if tag.kind == Tag.Kind.FANDOM:
        members = tag.members.filter(merger__isnull=True).order_by("-use_count", Lower("name"))
        related["members"] = {
            "Characters": members.filter(kind=Tag.Kind.CHARACTER)[:RELATED_LIMIT],
            "Relationships": members.filter(kind=Tag.Kind.RELATIONSHIP)[:RELATED_LIMIT],
        }
    return render(request, "tags/tag_detail.html", {"tag": tag, **related})


@shared_page()
def fandom_list(request: HttpRequest) -> HttpResponse:
    fandoms = Tag.objects.of_kind(Tag.Kind.FANDOM).filter(merger__isnull=True, use_count__gt=0)
    letters = _letters(fandoms)
    letter = request.GET.get("letter", "").upper()[:1]
    if not letter and len(letters) and fandoms.count() > ALL_LETTERS_UP_TO:
        letter = letters[0]
    shown = fandoms.filter(name__istartswith=letter) if letter else fandoms
    shown = list(shown.order_by(Lower("name")).only("name", "use_count"))
    top = _top_members([fandom.pk for fandom in shown])
    for fandom in shown:
        fandom.top_characters = top.get((fandom.pk, Tag.Kind.CHARACTER), [])
        fandom.top_relationships = top.get((fandom.pk, Tag.Kind.RELATIONSHIP), [])
    return render(request, "tags/fandom_list.html", {"fandoms": shown, "letters": letters, "letter": letter})


def _letters(fandoms) -> list[str]:
    initials = fandoms.annotate(initial=Upper(Substr("name", 1, 1))).values_list("initial", flat=True).distinct()
    return sorted(initials.order_by())


def _top_members(fandom_ids: list[int]) -> dict[tuple[int, str], list[Tag]]:
    """Each fandom's most used characters and relationships, in one query."""
    through = Tag.fandoms.through
    ranked = (
        through.objects.filter(to_tag_id__in=fandom_ids, from_tag__merger__isnull=True, from_tag__use_count__gt=0)
        .filter(Q(from_tag__kind=Tag.Kind.CHARACTER) | Q(from_tag__kind=Tag.Kind.RELATIONSHIP))
        .select_related("from_tag")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("to_tag_id"), F("from_tag__kind")],
                order_by=[F("from_tag__use_count").desc(), Lower("from_tag__name")],
            )
        )
        .filter(rank__lte=TOP_MEMBERS)
        .order_by("to_tag_id", "from_tag__kind", "rank")
    )
    top: dict[tuple[int, str], list[Tag]] = {}
    for link in ranked:
        top.setdefault((link.to_tag_id, link.from_tag.kind), []).append(link.from_tag)
    return top


def autocomplete(request: HttpRequest) -> JsonResponse:
    """Tags starting with what the author typed (or with a word of it): canonical first, by use."""
    # A NUL can't be in a tag name, and PostgreSQL refuses it in a query: drop control characters.
    query = " ".join(strip_controls(request.GET.get("q", "")).split())[:100]
    kind = request.GET.get("kind", "")
    if len(query) < 1:
        return JsonResponse({"results": []})
    tags = Tag.objects.filter(
        Q(name__istartswith=query) | Q(name__icontains=f" {query}") | Q(name__icontains=f"/{query}")
    )
    if kind in Tag.Kind.values:
        tags = tags.filter(kind=kind)
    tags = tags.order_by("-canonical", "-use_count", Lower("name")).values("name", "kind", "canonical", "use_count")
    return JsonResponse({"results": list(tags[:AUTOCOMPLETE_LIMIT])})
