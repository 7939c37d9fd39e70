"""Public network, city and organisation pages, and the coordinators' forms behind them."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conet.accounts import services as account_services
from conet.accounts.models import Invitation, Membership
from conet.core import audit, spreadsheet
from conet.core.forms import save_versioned_form
from conet.core.http import safe_next
from conet.core.permissions import require
from conet.networks import selectors, services
from conet.networks.forms import (
    AddPartnerForm,
    CityForm,
    InviteForm,
    NetworkForm,
    NewCityForm,
    PartnershipForm,
    UpdateForm,
)
from conet.networks.models import City, Network, Partnership
from conet.networks.rules import invitable_roles


def home(request):
    page = Paginator(selectors.public_networks(), 20).get_page(request.GET.get("page"))
    return render(request, "networks/home.html", {"page": page})


def network_detail(request, slug: str):
    page = selectors.network_page(slug)
    context = {
        "page": page,
        "network": page.network,
        "update_form": UpdateForm(initial={"language": get_language()}),
        "can_edit": request.user.has_perm("networks.change_network", page.network),
        "can_post": request.user.has_perm("networks.post_update", page.network),
    }
    return render(request, "networks/network_detail.html", context)


def _edit_versioned(request, *, instance, form_class, save, template, context, success_url):
    """The shared edit flow: bound form → service → conflict shown in the form, or redirect."""
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and save_versioned_form(request, form, save):
        return redirect(success_url)
    return render(request, template, {**context, "form": form}, status=422 if form.errors else 200)


@login_required
def network_edit(request, slug: str):
    network = get_object_or_404(Network, slug=slug)
    require(request, "networks.change_network", network)
    return _edit_versioned(
        request,
        instance=network,
        form_class=NetworkForm,
        save=lambda **kw: services.update_network(network, by=request.user, **kw),
        template="networks/network_form.html",
        context={"network": network},
        success_url=network.get_absolute_url(),
    )


@login_required
@require_POST
def post_update(request, slug: str):
    network = get_object_or_404(Network, slug=slug)
    require(request, "networks.post_update", network)
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            services.post_update(network, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your update is in the feed."))
            return redirect(network.get_absolute_url() + "#in-action")
    return render(
        request, "networks/update_form.html", {"network": network, "form": form}, status=422
    )


@login_required
def partners(request, slug: str):
    network = get_object_or_404(Network, slug=slug)
    require(request, "networks.manage_partnerships", network)
    form = AddPartnerForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_partnership(network, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Partner added."))
            return redirect("networks:partners", slug=network.slug)
    context = {
        "network": network,
        "partnerships": selectors.partnerships_of(network),
        "form": form,
    }
    return render(request, "networks/partners.html", context, status=422 if form.errors else 200)


@login_required
def partnership_edit(request, slug: str, city_slug: str):
    partnership = get_object_or_404(
        Partnership.objects.select_related("network", "city"),
        network__slug=slug,
        city__slug=city_slug,
    )
    require(request, "networks.manage_partnerships", partnership.network)
    return _edit_versioned(
        request,
        instance=partnership,
        form_class=PartnershipForm,
        save=lambda **kw: services.update_partnership(partnership, by=request.user, **kw),
        template="networks/partnership_form.html",
        context={"partnership": partnership, "network": partnership.network},
        success_url=partnership.network.get_absolute_url(),
    )


@login_required
@require_POST
def partnership_remove(request, slug: str, city_slug: str):
    partnership = get_object_or_404(
        Partnership.objects.select_related("network", "city"),
        network__slug=slug,
        city__slug=city_slug,
    )
    require(request, "networks.manage_partnerships", partnership.network)
    services.remove_partnership(partnership, by=request.user)
    messages.success(request, _("%(city)s is no longer a partner.") % {"city": partnership.city})
    return redirect("networks:partners", slug=slug)


def city_list(request):
    query = request.GET.get("q", "")
    page = Paginator(selectors.search_cities(query), 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "can_add": request.user.has_perm("networks.add_city", None),
    }
    return render(request, "networks/city_list.html", context)


@login_required
def city_create(request):
    require(request, "networks.add_city", None)
    form = NewCityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            city = services.create_city(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The city %(name)s was added.") % {"name": city.name})
            return redirect(city)
    status = 422 if form.errors else 200
    return render(request, "networks/city_new.html", {"form": form}, status=status)


def city_detail(request, slug: str):
    city = selectors.city_page(slug)
    context = {
        "city": city,
        "can_edit": request.user.has_perm("networks.change_city", city),
        "can_invite": request.user.has_perm("networks.invite_to_city", city),
    }
    return render(request, "networks/city_detail.html", context)


def focus_area(request, slug: str, city_slug: str, area_slug: str):
    """A focus area's story: the consultations, workshops, plan actions and their progress there."""
    partnership = selectors.focus_area_page(slug, city_slug, area_slug)
    context = {
        "partnership": partnership,
        "network": partnership.network,
        "city": partnership.city,
        "can_edit": request.user.has_perm("networks.manage_partnerships", partnership.network),
    }
    return render(request, "networks/focus_area.html", context)


@login_required
def city_edit(request, slug: str):
    city = get_object_or_404(City, slug=slug)
    require(request, "networks.change_city", city)
    return _edit_versioned(
        request,
        instance=city,
        form_class=CityForm,
        save=lambda **kw: services.update_city(city, by=request.user, **kw),
        template="networks/city_form.html",
        context={"city": city},
        success_url=city.get_absolute_url(),
    )


def organisation_detail(request, slug: str):
    organisation = selectors.organisation_page(slug)
    return render(request, "networks/organisation_detail.html", {"organisation": organisation})


def _members(request, *, scope, perm: str, template_context: dict):
    """Members and invitations of a network or a city, and the form to invite someone."""
    require(request, perm, scope)
    roles = invitable_roles(request.user, scope)
    form = InviteForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.invite(
                by=request.user,
                scope=scope,
                allowed_roles=roles,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect(request.path)
    scope_filter = {"network": scope} if isinstance(scope, Network) else {"city": scope}
    context = {
        **template_context,
        "scope": scope,
        "can_read_audit_log": isinstance(scope, Network)
        and (request.user.is_staff or scope.pk in selectors.coordinated_network_ids(request.user)),
        "form": form,
        "memberships": Membership.objects.filter(**scope_filter).select_related("user"),
        "invitations": Invitation.objects.filter(accepted_at__isnull=True, **scope_filter),
    }
    return render(request, "networks/members.html", context, status=422 if form.errors else 200)


@login_required
def network_members(request, slug: str):
    network = get_object_or_404(Network, slug=slug)
    return _members(
        request,
        scope=network,
        perm="networks.invite_to_network",
        template_context={"network": network},
    )


@login_required
def city_members(request, slug: str):
    city = get_object_or_404(City, slug=slug)
    return _members(
        request, scope=city, perm="networks.invite_to_city", template_context={"city": city}
    )


@login_required
@require_POST
def membership_revoke(request, pk: int):
    membership = get_object_or_404(
        Membership.objects.select_related("network", "city", "user"), pk=pk
    )
    account_services.revoke_membership(membership, by=request.user)
    messages.success(request, _("%(name)s no longer has this role.") % {"name": membership.user})
    return redirect(safe_next(request, membership.scope.get_absolute_url()))


@login_required
@require_POST
def invitation_withdraw(request, pk: int):
    invitation = get_object_or_404(Invitation.objects.select_related("network", "city"), pk=pk)
    try:
        account_services.withdraw_invitation(invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect(safe_next(request, invitation.scope.get_absolute_url()))


def _audit_scope(request) -> dict | None:
    """What the audit log shows this person: everything (platform admins), their networks and
    those networks' partner cities (network coordinators), or nothing (None)."""
    if request.user.is_staff:
        return {}
    networks = selectors.coordinated_network_ids(request.user)
    if not networks:
        return None
    cities = Partnership.objects.filter(network_id__in=networks).values_list("city_id", flat=True)
    return {"network_ids": networks, "city_ids": set(cities)}


def _audit_entries(request):
    scope = _audit_scope(request)
    if scope is None:
        raise PermissionDenied("networks.read_audit_log")
    query = request.GET.get("q", "").strip()[:200]
    action = request.GET.get("action", "")
    action = action if action in audit.ACTIONS else ""
    return audit.entries(q=query, action=action, **scope), query, action


@login_required
def audit_log(request):
    """Privileged actions, newest first: searchable, filtered by action, exported as CSV."""
    rows, query, action = _audit_entries(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    filters = {"q": query, "action": action}
    context = {
        "page": page,
        "query": query,
        "action": action,
        "actions": audit.ACTIONS,
        "filters": urlencode({k: v for k, v in filters.items() if v}),
        "everything": request.user.is_staff,
    }
    return render(request, "networks/audit_log.html", context)


@login_required
def audit_log_csv(request):
    rows, _query, _action = _audit_entries(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="conet-audit-log.csv"'
    response.write("\ufeff")
    writer = spreadsheet.writer(response)
    writer.writerow(["when", "action", "actor", "network", "city", "summary", "address"])
    for entry in rows.iterator(chunk_size=2000):
        writer.writerow(
            [
                entry.created_at.isoformat(),
                entry.action,
                entry.actor_label,
                entry.network_id or "",
                entry.city_id or "",
                entry.summary,
                entry.address,
            ]
        )
    return response
