"""The Local Support Group page: stakeholders, the power/interest matrix, the ecosystem map."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conet.actionplans.selectors import partnership_for
from conet.core.concurrency import EditConflict
from conet.core.forms import save_versioned_form
from conet.localgroups import selectors, services
from conet.localgroups.forms import GroupForm, StakeholderEditForm, StakeholderForm
from conet.localgroups.models import Stakeholder


def _group(request, slug: str, city_slug: str, perm: str):
    group = services.group_of(partnership_for(slug, city_slug))
    if not request.user.has_perm(perm, group):
        raise PermissionDenied(perm)
    return group


def _url(group) -> str:
    partnership = group.partnership
    return reverse("localgroups:group", args=[partnership.network.slug, partnership.city.slug])


@login_required
def group_detail(request, slug: str, city_slug: str, stakeholder_form=None, group_form=None):
    group = _group(request, slug, city_slug, "localgroups.view_group")
    stakeholders = list(selectors.stakeholders_of(group))
    can_change = request.user.has_perm("localgroups.change_group", group)
    context = {
        "group": group,
        "partnership": group.partnership,
        "stakeholders": stakeholders,
        "matrix": selectors.matrix_points(stakeholders),
        "ecosystem": selectors.ecosystem(stakeholders),
        "show_contacts": request.user.has_perm("localgroups.view_contacts", group),
        "can_change": can_change,
        "stakeholder_form": stakeholder_form or (StakeholderForm() if can_change else None),
        "group_form": group_form or (GroupForm(instance=group) if can_change else None),
    }
    status = 422 if (stakeholder_form or group_form) else 200
    return render(request, "localgroups/group_detail.html", context, status=status)


@login_required
@require_POST
def stakeholder_add(request, slug: str, city_slug: str):
    group = _group(request, slug, city_slug, "localgroups.change_group")
    form = StakeholderForm(request.POST)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in StakeholderForm.Meta.fields}
        try:
            services.add_stakeholder(
                group, by=request.user, consent=form.cleaned_data["consent"], **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Stakeholder added."))
            return redirect(_url(group))
    return group_detail(request, slug, city_slug, stakeholder_form=form)


@login_required
@require_POST
def group_edit(request, slug: str, city_slug: str):
    group = _group(request, slug, city_slug, "localgroups.change_group")
    form = GroupForm(request.POST, instance=group)
    save = partial(services.update_group, group, by=request.user)
    if save_versioned_form(request, form, save):
        return redirect(_url(group))
    return group_detail(request, slug, city_slug, group_form=form)


def _stakeholder(group, pk: int) -> Stakeholder:
    stakeholder = get_object_or_404(Stakeholder, group=group, pk=pk)
    stakeholder.group = group
    return stakeholder


@login_required
def stakeholder_edit(request, slug: str, city_slug: str, pk: int):
    group = _group(request, slug, city_slug, "localgroups.change_group")
    stakeholder = _stakeholder(group, pk)
    form = StakeholderEditForm(request.POST or None, instance=stakeholder)

    def save(expected_version, changes):
        services.update_stakeholder(
            stakeholder,
            by=request.user,
            expected_version=expected_version,
            changes=changes,
            consent=form.cleaned_data["consent"],
        )

    if request.method == "POST" and save_versioned_form(request, form, save):
        return redirect(_url(group))
    context = {"group": group, "partnership": group.partnership, "form": form}
    status = 422 if form.errors else 200
    return render(request, "localgroups/stakeholder_form.html", context, status=status)


@login_required
def stakeholder_remove(request, slug: str, city_slug: str, pk: int):
    """GET asks to confirm (no script needed); POST removes, given the version that was shown."""
    group = _group(request, slug, city_slug, "localgroups.change_group")
    stakeholder = _stakeholder(group, pk)
    if request.method != "POST":
        context = {"group": group, "partnership": group.partnership, "stakeholder": stakeholder}
        return render(request, "localgroups/stakeholder_remove.html", context)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = stakeholder.version
    try:
        services.remove_stakeholder(stakeholder, by=request.user, expected_version=version)
    except EditConflict:
        messages.error(
            request,
            _("%(name)s was changed by someone else meanwhile; look again before removing it.")
            % {"name": stakeholder.name},
        )
    else:
        messages.success(request, _("%(name)s is removed.") % {"name": stakeholder.name})
    return redirect(_url(group))
