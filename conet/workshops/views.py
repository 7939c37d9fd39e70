"""Workshop pages: setting up and running (facilitators), joining and the board (participants).

The facilitator's writes are small POSTs. The board's script sends them with
`Accept: application/json` and gets JSON (200, or 403/409/422 with the reason); a plain form gets
a redirect with a message. Either way the service decides, and the change reaches every screen as
an event over the WebSocket.
"""

import functools
import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conet.core.concurrency import EditConflict
from conet.core.forms import save_versioned_form
from conet.core.http import client_address
from conet.core.languages import event_address, opens_in_language_of, without_language
from conet.core.permissions import require
from conet.networks.models import City, Network
from conet.workshops import selectors, services
from conet.workshops.consumers import TOKEN_COOKIE
from conet.workshops.forms import (
    JoinCodeForm,
    JoinForm,
    WorkshopForm,
    WorkshopSettingsForm,
)
from conet.workshops.limits import TooFast
from conet.workshops.models import Card, Cluster, Participant, Phase, Proposal, Table, Workshop
from conet.workshops.rules import BoardRefusal

TOKEN_MAX_AGE = 3 * 24 * 3600

# The words the board's script shows, translated here so that the script itself holds none.
BOARD_STRINGS = {
    "connecting": gettext_lazy("Connecting…"),
    "live": gettext_lazy("Live"),
    "offline": gettext_lazy("Offline — your cards are kept and sent when the connection is back"),
    "removed": gettext_lazy("The facilitator has removed you from this workshop."),
    "locked": gettext_lazy("The board is locked."),
    "waiting": gettext_lazy("The workshop has not started yet. Wait for the facilitator."),
    "finished": gettext_lazy("The workshop has ended. Thank you!"),
    "unsorted": gettext_lazy("Not sorted yet"),
    "untitled": gettext_lazy("Untitled cluster"),
    "no_cards": gettext_lazy("No cards yet."),
    "sending": gettext_lazy("sending…"),
    "dots": gettext_lazy("dots"),
    "dots_left": gettext_lazy("Your dots left:"),
    "add_dot": gettext_lazy("Add a dot"),
    "remove_dot": gettext_lazy("Take a dot back"),
    "move_to": gettext_lazy("Move to"),
    "hide": gettext_lazy("Hide"),
    "show": gettext_lazy("Show again"),
    "hidden": gettext_lazy("hidden"),
    "hide_reason": gettext_lazy("Why hide this card? (kept in the protocol)"),
    "chosen": gettext_lazy("chosen"),
    "choose": gettext_lazy("Choose for the next phase"),
    "unchoose": gettext_lazy("Not chosen"),
    "delete": gettext_lazy("Remove cluster"),
    "rename": gettext_lazy("Cluster title"),
    "save": gettext_lazy("Save"),
    "answers": gettext_lazy("answers:"),
    "chosen_critiques": gettext_lazy("The chosen critiques"),
    "proposals": gettext_lazy("Proposals"),
    "no_proposals": gettext_lazy("No proposals yet."),
    "help": gettext_lazy("I will help"),
    "helping": gettext_lazy("You help with this — withdraw"),
    "helpers": gettext_lazy("helpers"),
    "what": gettext_lazy("What exactly"),
    "who_helps": gettext_lazy("Who helps"),
    "start_when": gettext_lazy("When we start"),
    "first_step": gettext_lazy("First step"),
    "resources": gettext_lazy("Resources"),
    "obstacles": gettext_lazy("Obstacles"),
    "time_left": gettext_lazy("Time left"),
    "time_up": gettext_lazy("Time is up"),
    "all_tables": gettext_lazy("All tables"),
    "plenary": gettext_lazy("Plenary"),
    "drop_here": gettext_lazy("Drop a card here"),
    "error": gettext_lazy("Not saved:"),
    "kept": gettext_lazy("Your card is kept and sent by itself in a moment."),
    "promoted": gettext_lazy("Action %(number)s of %(plan)s"),
    "participants": gettext_lazy("Participants in the room:"),
}


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def facilitator_write(view):
    """A facilitator's POST: sign-in, permission, and one way of answering success and refusal."""

    @login_required
    @require_POST
    @functools.wraps(view)
    def wrapper(request, pk: int, *args, **kwargs):
        workshop = get_object_or_404(Workshop, pk=pk)
        require(request, "workshops.facilitate", workshop)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
            back = reverse("workshops:detail", args=[workshop.pk])
        try:
            result = view(request, workshop, *args, **kwargs) or {}
        except BoardRefusal as refusal:
            if _wants_json(request):
                return JsonResponse({"error": refusal.code, "message": refusal.message}, status=409)
            messages.error(request, refusal.message)
        except EditConflict:
            message = _("Someone else changed this meanwhile; look again and retry.")
            if _wants_json(request):
                return JsonResponse({"error": "conflict", "message": message}, status=409)
            messages.error(request, message)
        except ValidationError as error:
            fields = getattr(error, "message_dict", {"__all__": error.messages})
            if _wants_json(request):
                return JsonResponse({"error": "invalid", "fields": fields}, status=422)
            for field_messages in fields.values():
                for message in field_messages:
                    messages.error(request, message)
        else:
            if _wants_json(request):
                return JsonResponse({"ok": True, **result})
        return redirect(back)

    return wrapper


def _started_from(request, current) -> int:
    """The version an edit started from; an edit without one is refused like a stale one, since
    it would overwrite whatever someone else saved since."""
    version = _int(request.POST.get("version"), "version")
    if version is None:
        raise EditConflict(current, [])
    return version


def _int(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Enter a whole number.")}) from None


# Setting up --------------------------------------------------------------------------------------


@login_required
def workshop_list(request):
    page = Paginator(selectors.workshops_for(request.user).order_by("-starts_at"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workshops/list.html",
        {
            "page": page,
            "workshops": page.object_list,
            "may_start": selectors.may_start_a_workshop_somewhere(request.user),
        },
    )


def _scope_from(request) -> tuple[City | None, Network | None]:
    """The city and/or network named in the address; a malformed id is a bad request (400)."""
    city = network = None
    try:
        if request.GET.get("city"):
            city = get_object_or_404(City, pk=_int(request.GET["city"], "city"))
        if request.GET.get("network"):
            network = get_object_or_404(Network, pk=_int(request.GET["network"], "network"))
    except ValidationError as error:
        raise BadRequest(error.messages[0]) from None
    return city, network


@login_required
def workshop_create(request):
    city, network = _scope_from(request)
    if city is None and network is None:
        cities, networks = selectors.places_to_start_workshops(request.user)
        return render(
            request,
            "workshops/start.html",
            {"cities": cities, "networks": networks},
            status=200 if cities or networks else 403,
        )
    require(request, "workshops.create_workshop", Workshop(city=city, network=network))
    form = WorkshopForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.create_workshop(
                by=request.user,
                city=city,
                network=network,
                data=form.data_for_service(),
                phases=form.phases(),
                tables=form.table_names(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The workshop is set up. Share the code to let people join.")
            )
            return redirect(workshop)
    return render(request, "workshops/form.html", {"form": form, "city": city, "network": network})


def _facilitated(request, pk: int) -> Workshop:
    workshop = get_object_or_404(selectors.workshop_for_page_qs(), pk=pk)
    if not request.user.is_authenticated:
        raise PermissionDenied
    require(request, "workshops.facilitate", workshop)
    return workshop


def _join_url(request, workshop: Workshop) -> str:
    """The link and QR code the facilitator shares: in the workshop's language, whatever language
    the facilitator reads the site in; a resident switches in one tap on their phone."""
    path = event_address(None, workshop.language, "workshops:join", workshop.code)
    return request.build_absolute_uri(path)


def _language_of_workshop(pk: int | None = None, code: str | None = None) -> str | None:
    """The language a resident page of this workshop opens in, for an unprefixed link."""
    found = (
        Workshop.objects.filter(pk=pk)
        if pk is not None
        else Workshop.objects.filter(code=(code or "").upper())
    )
    return found.values_list("language", flat=True).first()


@login_required
def workshop_detail(request, pk: int):
    workshop = _facilitated(request, pk)
    participants = Paginator(selectors.participants_of(workshop), 100).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workshops/detail.html",
        {
            "workshop": workshop,
            "phases": list(workshop.phases.all()),
            "tables": list(workshop.tables.all()),
            "participants": participants,
            "join_url": _join_url(request, workshop),
            "steps": Phase.Step.choices,
            "finished": workshop.status == Workshop.Status.FINISHED,
        },
    )


@login_required
def workshop_edit(request, pk: int):
    workshop = _facilitated(request, pk)
    if workshop.status == Workshop.Status.FINISHED:
        messages.info(request, _("This workshop has ended; its record stays as it is."))
        return redirect(workshop)
    form = WorkshopSettingsForm(request.POST or None, instance=workshop)

    def save(expected_version, changes):
        services.update_workshop(
            workshop, by=request.user, expected_version=expected_version, changes=changes
        )

    if request.method == "POST" and save_versioned_form(request, form, save):
        return redirect(workshop)
    return render(request, "workshops/settings.html", {"workshop": workshop, "form": form})


@facilitator_write
def table_add(request, workshop):
    table = services.add_table(workshop, by=request.user, name=request.POST.get("name", ""))
    return {"table": table.pk}


@facilitator_write
def phase_settings(request, workshop, phase_pk: int):
    phase = get_object_or_404(Phase, pk=phase_pk, workshop=workshop)
    services.update_phase_settings(
        phase,
        by=request.user,
        time_box_minutes=_int(request.POST.get("time_box_minutes"), "time_box_minutes"),
        dots_per_person=_int(request.POST.get("dots_per_person"), "dots_per_person") or 0,
    )


@facilitator_write
def phase_change(request, workshop, phase_pk: int, action: str):
    phase = get_object_or_404(Phase, pk=phase_pk, workshop=workshop)
    if action == "open":
        services.open_phase(phase, by=request.user)
    elif action == "close":
        services.close_phase(phase, by=request.user)
    elif action == "step":
        services.set_step(phase, by=request.user, step=request.POST.get("step", ""))
    elif action == "timer":
        services.set_timer(
            phase, by=request.user, minutes=_int(request.POST.get("minutes"), "minutes")
        )
    else:
        raise Http404


@facilitator_write
def lock(request, workshop):
    services.set_locked(workshop, by=request.user, locked=request.POST.get("locked") == "1")


@facilitator_write
def finish(request, workshop):
    services.finish_workshop(workshop, by=request.user)


@facilitator_write
def participant_remove(request, workshop, participant_pk: int):
    participant = get_object_or_404(Participant, pk=participant_pk, workshop=workshop)
    services.remove_participant(participant, by=request.user)


@facilitator_write
def card_add(request, workshop):
    card, _created = services.post_card(
        workshop,
        by=request.user,
        text=request.POST.get("text", ""),
        client_id=request.POST.get("client_id", ""),
    )
    return {"card": card.pk}


@facilitator_write
def card_hide(request, workshop, card_pk: int):
    card = get_object_or_404(Card, pk=card_pk, workshop=workshop)
    services.hide_card(
        card,
        by=request.user,
        reason=request.POST.get("reason", ""),
        hidden=request.POST.get("hidden", "1") == "1",
    )


@facilitator_write
def card_move(request, workshop, card_pk: int):
    card = get_object_or_404(Card, pk=card_pk, workshop=workshop)
    cluster = None
    if request.POST.get("cluster"):
        cluster = Cluster.objects.filter(
            pk=_int(request.POST["cluster"], "cluster"), workshop=workshop
        ).first()
        if cluster is None:
            raise ValidationError({"cluster": _("No such cluster in this workshop.")})
    services.move_card(
        card,
        cluster=cluster,
        position=_int(request.POST.get("position"), "position"),
        by=request.user,
    )


@facilitator_write
def cluster_add(request, workshop):
    table = None
    if request.POST.get("table"):
        table = Table.objects.filter(
            pk=_int(request.POST["table"], "table"), workshop=workshop
        ).first()
        if table is None:
            raise ValidationError({"table": _("No such table in this workshop.")})
    cluster = services.create_cluster(
        workshop, by=request.user, title=request.POST.get("title", ""), table=table
    )
    return {"cluster": cluster.pk}


@facilitator_write
def cluster_edit(request, workshop, cluster_pk: int):
    cluster = get_object_or_404(Cluster, pk=cluster_pk, workshop=workshop)
    chosen = request.POST.get("chosen")
    services.update_cluster(
        cluster,
        by=request.user,
        expected_version=_started_from(request, cluster),
        title=request.POST.get("title"),
        chosen=None if chosen is None else chosen == "1",
    )


@facilitator_write
def cluster_delete(request, workshop, cluster_pk: int):
    cluster = get_object_or_404(Cluster, pk=cluster_pk, workshop=workshop)
    services.delete_cluster(cluster, by=request.user)


PROPOSAL_POST_FIELDS = ["title", "what", "who_helps", "start_when", "first_step", "resources",
                        "obstacles", "cluster"]  # fmt: skip


@facilitator_write
def proposal_save(request, workshop, proposal_pk: int | None = None):
    fields = {name: request.POST[name] for name in PROPOSAL_POST_FIELDS if name in request.POST}
    if proposal_pk is None:
        proposal = services.create_proposal(workshop, by=request.user, fields=fields)
    else:
        proposal = get_object_or_404(Proposal, pk=proposal_pk, workshop=workshop)
        proposal = services.update_proposal(
            proposal,
            by=request.user,
            fields=fields,
            expected_version=_started_from(request, proposal),
        )
    return {"proposal": proposal.pk, "version": proposal.version}


# The live board ----------------------------------------------------------------------------------


def _board(request, workshop, *, role: str, participant=None, template="workshops/board.html"):
    state = selectors.board_state(
        workshop,
        table_id=participant.table_id if participant else None,
        everything=participant is None,
        participant=participant,
    )
    return render(
        request,
        template,
        {
            "workshop": workshop,
            "participant": participant,
            "role": role,
            "finished": workshop.status == Workshop.Status.FINISHED,
            "state": state,
            "join_url": _join_url(request, workshop),
            # WebSocket routes carry no language prefix; the page names its language in the
            # query (board.js), so refusals come in the language the page is in.
            "socket_path": without_language(reverse("workshops:board", args=[workshop.pk])).replace(
                "/workshops/", "/ws/workshops/", 1
            ),
            "steps": Phase.Step.choices,
            "strings": {key: str(text) for key, text in BOARD_STRINGS.items()},
        },
    )


@login_required
def board(request, pk: int):
    """The facilitator's board: every table, drag and drop, moderation, the phase controls."""
    return _board(request, _facilitated(request, pk), role="facilitator")


@opens_in_language_of(_language_of_workshop)
@login_required
def projector(request, pk: int):
    """The plenary view for the projector: large type, the code and QR to join, every table."""
    return _board(
        request, _facilitated(request, pk), role="projector", template="workshops/projector.html"
    )


# Joining and the participant's board ------------------------------------------------------------


def qr_svg(request, code: str):
    """The join link as a standalone SVG image: with its namespace (without it a browser shows a
    broken <img>) and a viewBox, so that it scales to whatever size the page gives it."""
    workshop = get_object_or_404(Workshop, code=code.upper())
    svg = io.BytesIO()
    segno.make(_join_url(request, workshop), error="m").save(
        svg,
        kind="svg",
        scale=8,
        dark="#111",
        light="#fff",
        title=_("Join %(title)s") % {"title": workshop.title},
        xmldecl=True,
        svgns=True,
        omitsize=True,
        encoding="utf-8",
    )
    response = HttpResponse(svg.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "max-age=3600"
    return response


def join_start(request):
    form = JoinCodeForm(request.GET or None)
    if request.GET and form.is_valid():
        if Workshop.objects.filter(code=form.cleaned_data["code"]).exists():
            return redirect("workshops:join", code=form.cleaned_data["code"])
        form.add_error("code", _("No workshop has this code. Check the letters on the screen."))
    return render(request, "workshops/join_code.html", {"form": form})


def _unknown_code(request, code: str):
    """A mistyped join link: 404 with the form to type the code again, in the resident's
    language (never a developer's page, whatever DEBUG says)."""
    form = JoinCodeForm({"code": code})
    form.is_valid()
    form.add_error("code", _("No workshop has this code. Check the letters on the screen."))
    return render(request, "workshops/join_code.html", {"form": form, "unknown": True}, status=404)


def by_code(view):
    """A resident's page, reached by a workshop's join code."""

    @functools.wraps(view)
    def wrapper(request, code: str, *args, **kwargs):
        workshop = Workshop.objects.filter(code=code.upper()).first()
        if workshop is None:
            return _unknown_code(request, code)
        return view(request, workshop, *args, **kwargs)

    return wrapper


def _participant(request, workshop: Workshop) -> Participant | None:
    raw = request.COOKIES.get(TOKEN_COOKIE.format(id=workshop.pk))
    participant = services.participant_for_token(workshop.pk, raw)
    if participant is not None and participant.removed:
        return None
    return participant


@opens_in_language_of(_language_of_workshop)
@by_code
def join(request, workshop: Workshop):
    if _participant(request, workshop) is not None:
        return redirect("workshops:participant_board", code=workshop.code)
    form = JoinForm(request.POST or None, workshop=workshop)
    status = 200
    if request.method == "POST" and form.is_valid():
        table = None
        if form.cleaned_data.get("table"):
            table = workshop.tables.filter(pk=form.cleaned_data["table"]).first()
        try:
            _participant_row, raw = services.join_workshop(
                workshop,
                display_name=form.cleaned_data["display_name"],
                anonymous=form.cleaned_data["anonymous"],
                table=table,
                user=request.user,
                address=client_address(request),
            )
        except (ValidationError, BoardRefusal) as error:
            form.add_error(None, getattr(error, "message", None) or error)
            status = 429 if isinstance(error, TooFast) else 200
        else:
            response = redirect("workshops:participant_board", code=workshop.code)
            response.set_cookie(
                TOKEN_COOKIE.format(id=workshop.pk),
                raw,
                max_age=TOKEN_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return response
    return render(
        request, "workshops/join.html", {"workshop": workshop, "form": form}, status=status
    )


@opens_in_language_of(_language_of_workshop)
@by_code
def participant_board(request, workshop: Workshop):
    participant = _participant(request, workshop)
    if participant is None:
        return redirect("workshops:join", code=workshop.code)
    return _board(request, workshop, role="participant", participant=participant)


@opens_in_language_of(_language_of_workshop)
@by_code
def forget_me(request, workshop: Workshop):
    """ "Delete what I contributed", from the phone that joined: the device token is the only proof
    needed, as for writing on the board. A removed participant may ask too."""
    raw = request.COOKIES.get(TOKEN_COOKIE.format(id=workshop.pk))
    participant = services.participant_for_token(workshop.pk, raw)
    if participant is None:
        return redirect("workshops:join", code=workshop.code)
    if request.method != "POST":
        finished = workshop.status == Workshop.Status.FINISHED
        context = {"workshop": workshop, "participant": participant, "finished": finished}
        return render(request, "workshops/forget.html", context)
    outcome = services.forget_participant(participant)
    if outcome == "deleted":
        messages.success(request, _("Your cards and dots have been deleted from this workshop."))
    else:
        messages.success(
            request, _("Your name has been removed; your cards stay in the protocol anonymously.")
        )
    response = redirect("workshops:join", code=workshop.code)
    response.delete_cookie(TOKEN_COOKIE.format(id=workshop.pk))
    return response
