"""Pages of a workshop's results: the protocol (page, PDF, CSV; its photos are conet/core/photos), the
suggested clustering for the facilitator, and the follow-up of the proposals."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from conet.core.concurrency import EditConflict
from conet.core.pdf import PdfUnavailable, html_to_pdf
from conet.workshops import followup, protocol, rules, selectors
from conet.workshops.models import Phase, Proposal, Table, Workshop


class PromoteForm(forms.Form):
    plan = forms.TypedChoiceField(label=gettext_lazy("Local Action Plan"), coerce=int)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(plan.pk, str(plan)) for plan in plans]


class _SignInFirst(Exception):
    pass


def _workshop(request, pk: int) -> Workshop:
    workshop = get_object_or_404(Workshop.objects.select_related("city", "network"), pk=pk)
    if not rules.may_view_results(request.user, workshop):
        if not request.user.is_authenticated:
            raise _SignInFirst
        raise PermissionDenied
    return workshop


def _results(view):
    """A results page: a visitor who may not see it yet is asked to sign in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _SignInFirst:
            return redirect_to_login(request.get_full_path())

    return wrapped


def _protocol_context(request, workshop: Workshop) -> dict:
    full = rules.sees_hidden_cards(request.user, workshop)
    return {
        "workshop": workshop,
        "record": protocol.protocol_for(workshop, full=full, viewer=request.user),
        "runs": rules.runs(request.user, workshop),
    }


@_results
def protocol_page(request, pk: int):
    workshop = _workshop(request, pk)
    return render(request, "workshops/protocol.html", _protocol_context(request, workshop))


@_results
def protocol_pdf(request, pk: int):
    workshop = _workshop(request, pk)
    context = _protocol_context(request, workshop)
    context["for_pdf"] = True
    html = render_to_string("workshops/protocol_document.html", context, request)
    try:
        pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    except PdfUnavailable:
        return render(request, "workshops/protocol_pdf_unavailable.html", context, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{protocol.pdf_filename(workshop)}"'
    return response


@_results
def protocol_csv(request, pk: int):
    workshop = _workshop(request, pk)
    record = protocol.protocol_for(workshop, full=rules.sees_hidden_cards(request.user, workshop))
    # The byte-order mark tells spreadsheet programs the file is UTF-8 (ă, ș, ț, ü…).
    response = HttpResponse("\ufeff" + protocol.protocol_csv(record), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{protocol.csv_filename(workshop)}"'
    return response


# Suggested clustering ---------------------------------------------------------------------------


def _board(request, workshop: Workshop, phase_pk: int) -> tuple[Phase, Table | None]:
    phase = get_object_or_404(
        Phase.objects.select_related("workshop"), pk=phase_pk, workshop=workshop
    )
    table_pk = request.GET.get("table") or request.POST.get("table")
    table = None
    if table_pk:
        try:
            table = get_object_or_404(Table, pk=int(table_pk), workshop=workshop)
        except ValueError as bad:
            raise Http404 from bad
    return phase, table


@login_required
def suggestion(request, pk: int, phase_pk: int):
    workshop = get_object_or_404(Workshop, pk=pk)
    if not rules.runs(request.user, workshop):
        raise PermissionDenied
    phase, table = _board(request, workshop, phase_pk)
    here = reverse("workshops:suggestion", args=[pk, phase_pk]) + (
        f"?table={table.pk}" if table else ""
    )
    errors = {}
    if request.method == "POST":
        if request.POST.get("do") == "suggest":
            followup.request_suggestion(phase, by=request.user, table=table)
            return redirect(here)
        groups = _groups_from(request.POST)
        try:
            made = followup.accept_suggestion(phase, groups, by=request.user, table=table)
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(
                request, _("%(count)s clusters made from the suggestion.") % {"count": len(made)}
            )
            return redirect(workshop.get_absolute_url())
    stored = selectors.stored_suggestion(phase, table)
    context = {
        "workshop": workshop,
        "phase": phase,
        "table": table,
        "stored": stored,
        "groups": _groups_for_page(stored),
        "errors": errors,
        "status": 422 if errors else 200,
    }
    return render(request, "workshops/protocol_suggestion.html", context, status=context["status"])


def _groups_from(data) -> list[tuple[str, list[int]]]:
    groups = []
    for number in range(1, int(data.get("groups", 0) or 0) + 1):
        if data.get(f"skip_{number}"):
            continue
        try:
            cards = [int(value) for value in data.getlist(f"cards_{number}")]
        except ValueError:
            cards = []
        groups.append((data.get(f"title_{number}", ""), cards))
    return groups


def _groups_for_page(stored) -> list[dict]:
    if stored is None or stored.suggestion is None:
        return []
    return [
        {
            "number": number,
            "title": group.title,
            "cards": [(card_id, stored.cards.get(card_id, "")) for card_id in group.card_ids],
        }
        for number, group in enumerate(stored.suggestion.groups, start=1)
    ]


# Follow-up --------------------------------------------------------------------------------------


@_results
def followup_page(request, pk: int):
    workshop = _workshop(request, pk)
    return _followup(request, workshop, selectors.promotion_right_for(request.user, workshop))


def _followup(request, workshop: Workshop, right, form=None, form_for=None, status: int = 200):
    plans = right.plans
    proposals = selectors.with_visible_actions(
        selectors.proposals_with_outcome(workshop), request.user
    )
    for proposal in proposals:
        proposal.promote_form = (
            form
            if form is not None and form_for == proposal.pk
            else PromoteForm(
                plans=plans, initial={"version": proposal.version}, prefix=f"p{proposal.pk}"
            )
        )
    context = {
        "workshop": workshop,
        "runs": rules.runs(request.user, workshop),
        "proposals": proposals,
        "plans": plans,
        "earlier": selectors.with_visible_actions(
            selectors.earlier_proposals(workshop), request.user
        ),
    }
    return render(request, "workshops/followup.html", context, status=status)


@login_required
@require_POST
def promote(request, pk: int, proposal_pk: int):
    workshop = get_object_or_404(Workshop.objects.select_related("city", "network"), pk=pk)
    proposal = get_object_or_404(Proposal, pk=proposal_pk, workshop=workshop)
    # Decided once: the form offers these plans and the service writes under the same decision.
    right = selectors.promotion_right_for(request.user, workshop)
    if not right.plans:
        raise PermissionDenied
    form = PromoteForm(request.POST, plans=right.plans, prefix=f"p{proposal.pk}")
    if not form.is_valid():
        return _followup(request, workshop, right, form=form, form_for=proposal.pk, status=422)
    plan = next(plan for plan in right.plans if plan.pk == form.cleaned_data["plan"])
    try:
        action = followup.promote_proposal_to_action(
            proposal,
            plan,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            protocol_url=request.build_absolute_uri(reverse("workshops:protocol", args=[pk])),
            right=right,
        )
    except EditConflict:
        form.add_error(None, _("Someone changed this proposal since you loaded the page."))
        return _followup(request, workshop, right, form=form, form_for=proposal.pk, status=409)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _followup(request, workshop, right, form=form, form_for=proposal.pk, status=422)
    messages.success(
        request,
        _("The proposal is now action %(number)s of %(plan)s.")
        % {"number": action.number, "plan": plan.title},
    )
    return redirect("workshops:followup", pk=pk)
