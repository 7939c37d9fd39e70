"""Consultation pages: take part (phone first), results, moderation, report, export."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conet.actionplans.models import Action, LocalActionPlan
from conet.consultations import admission, polis, selectors, services
from conet.consultations.forms import (
    ConsultationEditForm,
    ConsultationForm,
    ConsultationLogForm,
    ModerationForm,
    StatementActionForm,
    StatementForm,
)
from conet.consultations.models import Consultation, Participant, Statement
from conet.core.forms import save_versioned_form
from conet.core.http import client_address
from conet.core.languages import opens_in_language_of
from conet.core.pdf import PdfUnavailable, html_to_pdf
from conet.core.permissions import require
from conet.networks.models import City

DEVICE_COOKIE = "conet_participant"
DEVICE_SALT = "conet.consultations.device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def _device_token(request) -> str:
    return request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT) or ""


def _existing_participant(request, consultation) -> Participant | None:
    if request.user.is_authenticated:
        return Participant.objects.filter(consultation=consultation, user=request.user).first()
    token = _device_token(request)
    if not token:
        return None
    return Participant.objects.filter(
        consultation=consultation, device_hash=Participant.hash_device(token)
    ).first()


def _participant(request, consultation) -> tuple[Participant, str | None]:
    """The participant behind this request, created on the first vote; and a new device token to
    set as a cookie, if one was made. A device without a cookie comes in with the page's ticket
    and proof of work, or within the stricter limit of the plain form (admission.py)."""
    if request.user.is_authenticated:
        return services.participant_for(consultation, user=request.user), None
    token = _device_token(request)
    if token:
        return services.participant_for(consultation, device_token=token), None
    token = services.new_device_token()
    participant = services.admit_device(
        consultation,
        device_token=token,
        ticket=request.POST.get("ticket", ""),
        proof=request.POST.get("proof", ""),
        address=client_address(request),
    )
    return participant, token


def _with_device_cookie(response, token: str | None):
    if token:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            token,
            salt=DEVICE_SALT,
            max_age=DEVICE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def consultation_list(request):
    page = Paginator(selectors.open_consultations(), 20).get_page(request.GET.get("page"))
    cities = list(selectors.cities_user_may_consult(request.user))
    return render(request, "consultations/list.html", {"page": page, "cities": cities})


@login_required
def consultation_start(request):
    """The list page's "new consultation" form names a city; the form lives under the city."""
    city = get_object_or_404(City, slug=request.GET.get("city", ""))
    return redirect("consultations:new", city_slug=city.slug)


@login_required
def consultation_new(request, city_slug: str):
    city = get_object_or_404(City, slug=city_slug)
    require(request, "consultations.add_consultation", city)
    form = ConsultationForm(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            consultation = services.create_consultation(
                city,
                by=request.user,
                seed_statements=form.cleaned_data["seed_statements"],
                **fields,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The consultation is ready."))
            return redirect(consultation.get_absolute_url())
    return render(
        request,
        "consultations/consultation_form.html",
        {"city": city, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def consultation_edit(request, slug: str):
    consultation = selectors.consultation_by_slug(slug)
    require(request, "consultations.change_consultation", consultation)
    form = ConsultationEditForm(request.POST or None, instance=consultation)
    save = partial(services.update_consultation, consultation, by=request.user)
    if request.method == "POST" and save_versioned_form(request, form, save):
        return redirect(consultation.get_absolute_url())
    return render(
        request,
        "consultations/consultation_form.html",
        {"city": consultation.city, "consultation": consultation, "form": form},
        status=422 if form.errors else 200,
    )


def _wants_statement_only(request) -> bool:
    """consultations.js sends votes with this header and swaps in the next statement alone."""
    return request.headers.get("X-Requested-With") == "fetch"


def _voting_context(request, consultation, participant: Participant | None) -> dict:
    voted, total = selectors.progress(consultation, participant)
    needs_ticket = participant is None and not request.user.is_authenticated
    return {
        "ticket": admission.issue_ticket(consultation) if needs_ticket else "",
        "proof_bits": admission.proof_bits(),
        "consultation": consultation,
        "statement": selectors.next_statement(consultation, participant)
        if consultation.is_open
        else None,
        "voted": voted,
        "total": total,
    }


def _language_of_consultation(slug: str) -> str | None:
    """The language the voting page opens in, for an unprefixed link."""
    return Consultation.objects.filter(slug=slug).values_list("language", flat=True).first()


@opens_in_language_of(_language_of_consultation)
def vote_page(request, slug: str):
    """One statement at a time: agree, disagree or pass; and a box to add one's own."""
    consultation = selectors.consultation_by_slug(slug)
    context = _voting_context(request, consultation, _existing_participant(request, consultation))
    context |= {
        "statement_form": StatementForm(),
        "can_add": request.user.has_perm("consultations.add_statement", consultation),
        "can_moderate": request.user.has_perm("consultations.moderate", consultation),
    }
    return render(request, "consultations/vote.html", context)


def _next_statement(request, consultation, participant: Participant | None, error: str = ""):
    """The statement card alone (`_statement.html`), for a vote sent without leaving the page."""
    context = _voting_context(request, consultation, participant) | {"error": error}
    return render(request, "consultations/_statement.html", context)


def _refused(request, consultation, message: str, status: int, participant=None):
    if _wants_statement_only(request):
        participant = participant or _existing_participant(request, consultation)
        response = _next_statement(request, consultation, participant, message)
    else:
        messages.error(request, message)
        response = vote_page(request, consultation.slug)
    response.status_code = status
    return response


def _admit(request, consultation):
    """(participant, new device token, None), or (None, None, the refusal to answer with)."""
    try:
        participant, new_token = _participant(request, consultation)
    except admission.TooManyNewParticipants:
        message = _(
            "Many people have just joined this consultation from your network. "
            "Wait a while, then vote again."
        )
        return None, None, _refused(request, consultation, message, 429)
    except ValidationError as error:
        return None, None, _refused(request, consultation, " ".join(error.messages), 422)
    return participant, new_token, None


@opens_in_language_of(_language_of_consultation)
@require_POST
def vote(request, slug: str):
    consultation = selectors.consultation_by_slug(slug)
    require(request, "consultations.vote", consultation)
    try:
        value = int(request.POST.get("value", ""))
        statement_id = int(request.POST.get("statement", ""))
    except ValueError:
        return _refused(request, consultation, _("Choose agree, disagree or pass."), 400)
    statement = get_object_or_404(Statement, pk=statement_id, consultation=consultation)
    statement.consultation = consultation  # read once, not again by the service
    participant, new_token, refusal = _admit(request, consultation)
    if refusal is not None:
        return refusal
    try:
        services.cast_vote(
            participant, statement, value, by=request.user, address=client_address(request)
        )
    except services.RateLimited:
        message = _("That was fast. Wait a minute, then go on.")
        return _with_device_cookie(
            _refused(request, consultation, message, 429, participant), new_token
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        return _with_device_cookie(
            _refused(request, consultation, message, 422, participant), new_token
        )
    if _wants_statement_only(request):
        response = _next_statement(request, consultation, participant)
    else:
        # Back to the statement, not the page top: on a phone the next one is where the last was.
        response = redirect(f"{consultation.get_absolute_url()}#statement")
    return _with_device_cookie(response, new_token)


@opens_in_language_of(_language_of_consultation)
@require_POST
def add_statement(request, slug: str):
    consultation = selectors.consultation_by_slug(slug)
    require(request, "consultations.add_statement", consultation)
    form = StatementForm(request.POST)
    if not form.is_valid():
        return _refused(request, consultation, " ".join(form.errors["text"]), 422)
    participant, new_token, refusal = _admit(request, consultation)
    if refusal is not None:
        return refusal
    try:
        statement = services.add_statement(
            consultation,
            by=request.user,
            participant=participant,
            text=form.cleaned_data["text"],
            address=client_address(request),
        )
    except services.RateLimited:
        response = _refused(
            request, consultation, _("You have added many statements; wait a while."), 429
        )
        return _with_device_cookie(response, new_token)
    except ValidationError as error:
        response = _refused(request, consultation, " ".join(error.messages), 422)
        return _with_device_cookie(response, new_token)
    if statement.status == Statement.Status.PENDING:
        messages.success(
            request, _("Thank you. Your statement appears once a moderator has read it.")
        )
    else:
        messages.success(request, _("Thank you. Your statement is open for votes."))
    return _with_device_cookie(redirect(consultation.get_absolute_url()), new_token)


@opens_in_language_of(_language_of_consultation)
def results(request, slug: str):
    consultation = selectors.consultation_by_slug(slug)
    services.maybe_recompute(consultation)
    return _results(request, consultation)


def _results(request, consultation, *, link_form=None, status: int = 200):
    page = selectors.results_page(consultation, _existing_participant(request, consultation))
    actions = selectors.linkable_actions(consultation, request.user)
    if actions and link_form is None:
        link_form = StatementActionForm(statements=_published(page), actions=actions)
    context = {
        "page": page,
        "consultation": consultation,
        "can_moderate": request.user.has_perm("consultations.moderate", consultation),
        "can_export": request.user.has_perm("consultations.export", consultation),
        "refresh_seconds": settings.CONET_CONSULTATION_REFRESH_SECONDS,
        "links": selectors.statement_links(consultation, request.user),
        "link_form": link_form,
        "may_unlink": bool(actions),
    }
    return render(request, "consultations/results.html", context, status=status)


def _published(page) -> list[Statement]:
    return sorted(
        (s for s in page.statements.values() if s.status == Statement.Status.ACCEPTED),
        key=lambda statement: statement.number,
    )


def _statement_and_action(consultation, form) -> tuple[Statement, Action]:
    """The form's statement (of this consultation) and action; an unknown action is bad input."""
    statement = get_object_or_404(consultation.statements, pk=form.cleaned_data["statement"])
    action = Action.objects.filter(pk=form.cleaned_data["action"]).first()
    if action is None:
        raise ValidationError(
            {"action": _("Choose an action of the Local Action Plan of %(city)s.")
             % {"city": consultation.city.name}}
        )  # fmt: skip
    return statement, action


@login_required
@require_POST
def link_statement(request, slug: str):
    """Record that a statement led to a plan action (people who may edit the plan)."""
    consultation = selectors.consultation_by_slug(slug)
    return _change_link(request, consultation, services.link_statement_to_action,
                        _("The statement is linked to the action."))  # fmt: skip


@login_required
@require_POST
def unlink_statement(request, slug: str):
    consultation = selectors.consultation_by_slug(slug)
    return _change_link(request, consultation, services.unlink_statement_from_action,
                        _("The link between the statement and the action is removed."))  # fmt: skip


def _change_link(request, consultation, change, done: str):
    actions = selectors.linkable_actions(consultation, request.user)
    statements = list(consultation.statements.filter(status=Statement.Status.ACCEPTED))
    form = StatementActionForm(request.POST, statements=statements, actions=actions)
    if form.is_valid():
        try:
            statement, action = _statement_and_action(consultation, form)
            change(statement, action, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(reverse("consultations:results", args=[consultation.slug]) + "#led-to")
    return _results(request, consultation, link_form=form, status=422)


def _report(request, consultation, *, data=None, error=None, status: int = 200):
    page = selectors.results_page(consultation, None)
    plans = selectors.plans_for_consultation_log(consultation, request.user)
    log_form = None
    if (plans and page.rows) or data is not None:
        log_form = ConsultationLogForm(data, page=page, plans=plans)
        if error is not None and log_form.is_valid():
            log_form.add_error(None, error)
    context = {"page": page, "consultation": consultation, "log_form": log_form}
    return render(request, "consultations/report.html", context, status=status)


def report(request, slug: str):
    consultation = selectors.consultation_by_slug(slug)
    services.maybe_recompute(consultation)
    return _report(request, consultation)


def report_pdf(request, slug: str):
    """The report page's content as a PDF, for the printed dossier of a Local Support Group."""
    consultation = selectors.consultation_by_slug(slug)
    services.maybe_recompute(consultation)
    context = {"page": selectors.results_page(consultation, None), "consultation": consultation}
    html = render_to_string("consultations/report_document.html", context, request)
    try:
        pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    except PdfUnavailable:
        return render(request, "consultations/pdf_unavailable.html", context, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-report.pdf"'
    return response


@login_required
@require_POST
def send_to_plan(request, slug: str):
    """Quote the chosen statements in a Local Action Plan's consultation log."""
    consultation = selectors.consultation_by_slug(slug)
    form = ConsultationLogForm(
        request.POST, page=selectors.results_page(consultation, None), plans=[]
    )
    if not form.is_valid():
        return _report(request, consultation, data=request.POST, status=422)
    plan = get_object_or_404(LocalActionPlan, pk=form.cleaned_data["plan"])
    report_url = request.build_absolute_uri(reverse("consultations:report", args=[slug]))
    try:
        services.send_statements_to_plan(
            consultation,
            by=request.user,
            plan=plan,
            statement_ids=form.cleaned_data["statements"],
            report_url=report_url,
        )
    except ValidationError as error:
        return _report(request, consultation, data=request.POST, error=error, status=422)
    messages.success(request, _("The statements are in the plan's consultation log."))
    return redirect(plan.get_absolute_url())


@login_required
def moderate(request, slug: str):
    consultation = selectors.consultation_by_slug(slug)
    require(request, "consultations.moderate", consultation)
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        statement = get_object_or_404(
            Statement, pk=form.cleaned_data["statement"], consultation=consultation
        )
        try:
            services.moderate_statement(
                statement,
                by=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Statement %(number)d: done.") % {"number": statement.number}
            )
            return redirect("consultations:moderate", slug=slug)
    elif request.method == "POST":
        messages.error(request, _("Choose accept or reject."))
    statements = Paginator(selectors.moderation_queue(consultation), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "consultation": consultation,
        "page": statements,
        "statement_form": StatementForm(),
        "bursts": selectors.suspicious_bursts(consultation),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "consultations/moderate.html", context, status=status)


@login_required
@require_POST
def set_burst_aside(request, slug: str):
    """Set a suspicious burst aside (its votes stop counting, and stay stored) or restore it."""
    consultation = selectors.consultation_by_slug(slug)
    require(request, "consultations.moderate", consultation)
    aside = request.POST.get("action") != "restore"
    try:
        changed = services.set_burst_aside(
            consultation, by=request.user, key=request.POST.get("burst", ""), aside=aside
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if aside:
            message = _("Participants set aside: %(count)d. Their votes no longer count.")
        else:
            message = _("Participants restored: %(count)d. Their votes count again.")
        messages.success(request, message % {"count": changed})
    return redirect(reverse("consultations:moderate", args=[slug]) + "#bursts")


@login_required
def export(request, slug: str):
    consultation = selectors.consultation_by_slug(slug)
    require(request, "consultations.export", consultation)
    services.maybe_recompute(consultation, force=True)
    response = HttpResponse(polis.export_zip(consultation), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-polis.zip"'
    return response


@opens_in_language_of(_language_of_consultation)
def forget_me(request, slug: str):
    """ "Delete what I contributed": this device's (or this account's) votes in this consultation."""
    consultation = selectors.consultation_by_slug(slug)
    participant = _existing_participant(request, consultation)
    if participant is None:
        messages.info(request, _("This device has no votes in this consultation."))
        return redirect(consultation.get_absolute_url())
    if request.method != "POST":
        votes = participant.votes.count()
        context = {"consultation": consultation, "votes": votes}
        return render(request, "consultations/forget.html", context)
    services.forget_participant(participant)
    messages.success(request, _("Your votes in this consultation have been deleted."))
    response = redirect(consultation.get_absolute_url())
    if not request.user.is_authenticated:
        response.delete_cookie(DEVICE_COOKIE)
    return response
