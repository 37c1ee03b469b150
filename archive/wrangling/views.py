from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from archive.core.pagination import paginate
from archive.tags.models import Tag
from archive.wrangling import services
from archive.wrangling.forms import CharactersForm, FandomsForm, MergeForm, RenameForm, SynonymForm
from archive.wrangling.models import WranglingLog

PER_PAGE = 50


def staff_required(view: Callable) -> Callable:
    """Logged-out visitors are sent to log in; logged-in non-staff get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied("Only tag wranglers (staff) can do that.")
        return view(request, *args, **kwargs)

    return wrapped


@staff_required
def unwrangled(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") if request.GET.get("kind") in Tag.Kind.values else Tag.Kind.CHARACTER
    tags = Tag.objects.unwrangled().of_kind(kind).order_by("-use_count", Lower("name"))
    kinds = [(value, label) for value, label in Tag.Kind.choices]
    return render(
        request, "wrangling/unwrangled.html", {"page": paginate(request, tags, PER_PAGE), "kind": kind, "kinds": kinds}
    )


def _tag(name: str) -> Tag:
    tag = Tag.objects.named(name).select_related("merger").first()
    if tag is None:
        raise Http404("No such tag.")
    return tag


@staff_required
def wrangle(request: HttpRequest, name: str) -> HttpResponse:
    tag = _tag(name)
    forms = {
        "synonym": SynonymForm(),
        "merge": MergeForm(),
        "rename": RenameForm(initial={"name": tag.name}),
        "fandoms": FandomsForm(initial={"fandoms": [fandom.name for fandom in tag.fandoms.all()]}),
        "characters": CharactersForm(
            initial={"characters": [character.name for character in tag.characters.all()], "ship_kind": tag.ship_kind}
        ),
    }
    return _render_wrangle(request, tag, forms)


def _render_wrangle(request: HttpRequest, tag: Tag, forms: dict, status: int = 200) -> HttpResponse:
    context = {"tag": tag, **forms, "log": WranglingLog.objects.filter(tag=tag).select_related("user")[:20]}
    return render(request, "wrangling/wrangle.html", context, status=status)


ACTIONS = {
    "canonical": (None, lambda tag, data, user: services.make_canonical(tag=tag, user=user)),
    "synonym": (SynonymForm, lambda tag, data, user: services.make_synonym(tag=tag, of=data["of"], user=user)),
    "merge": (MergeForm, lambda tag, data, user: services.merge(tag=tag, into=data["into"], user=user)),
    "rename": (RenameForm, lambda tag, data, user: services.rename(tag=tag, name=data["name"], user=user)),
    "fandoms": (FandomsForm, lambda tag, data, user: services.set_fandoms(tag=tag, fandoms=data["fandoms"], user=user)),
    "characters": (
        CharactersForm,
        lambda tag, data, user: services.link_characters(
            tag=tag, characters=data["characters"], ship_kind=data["ship_kind"], user=user
        ),
    ),
}


@staff_required
@require_POST
def act(request: HttpRequest, name: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such wrangling action.")
    tag = _tag(name)
    form_class, perform = ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is None or form.is_valid():
        try:
            result = perform(tag, form.cleaned_data if form else {}, request.user)
        except services.WranglingError as error:
            if form is None:
                messages.error(request, str(error))
                return redirect("wrangling:tag", tag.name)
            form.add_error(None, str(error))
        else:
            messages.success(request, f"“{result.name}”: {WranglingLog.Action(action).label.lower()}.")
            return redirect("wrangling:tag", result.name)
    forms = {key: (form if key == action else (cls() if cls else None)) for key, (cls, _) in ACTIONS.items() if cls}
    return _render_wrangle(request, tag, forms, status=400)


@staff_required
def log(request: HttpRequest) -> HttpResponse:
    entries = WranglingLog.objects.select_related("user", "tag")
    return render(request, "wrangling/log.html", {"page": paginate(request, entries, PER_PAGE)})
