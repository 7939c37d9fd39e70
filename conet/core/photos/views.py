"""The editors' page for an object's photos, and the files themselves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conet.core.models import Photo
from conet.core.photos import registry, selectors, services
from conet.core.photos.forms import DescribeForm, PhotoForm


def _editable(request, key: str, object_id: int):
    return registry.editable(request, key, object_id)


def _photo_of(obj, photo_pk: int) -> Photo:
    return get_object_or_404(
        Photo, pk=photo_pk, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )


def _page(request, key, obj, form=None, status=200):
    photos = selectors.photos_of(obj)
    context = {
        "obj": obj,
        "key": key,
        "photos": photos,
        "form": form or PhotoForm(),
        "describe_forms": [
            (
                photo,
                DescribeForm(
                    initial={f: getattr(photo, f) for f in DescribeForm.base_fields},
                    prefix=f"p{photo.pk}",
                ),
            )
            for photo in photos
        ],
    }
    return render(request, "core/photos/manage.html", context, status=status)


@login_required
def manage(request, key: str, object_id: int):
    _photographed, obj = _editable(request, key, object_id)
    if request.method != "POST":
        return _page(request, key, obj)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_photo(
                obj,
                form.cleaned_data["image"],
                by=request.user,
                alt_text=form.cleaned_data["alt_text"],
                caption=form.cleaned_data["caption"],
                credit=form.cleaned_data["credit"],
                request=request,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The photo is added."))
            return redirect("core:photos", key=key, object_id=obj.pk)
    return _page(request, key, obj, form=form, status=422)


@login_required
@require_POST
def change(request, key: str, object_id: int, photo_pk: int):
    _photographed, obj = _editable(request, key, object_id)
    photo = _photo_of(obj, photo_pk)
    action = request.POST.get("do")
    if action == "delete":
        services.delete_photo(photo, obj, by=request.user, request=request)
        messages.success(request, _("The photo is removed."))
    elif action in ("earlier", "later"):
        services.move_photo(photo, obj, by=request.user, step=-1 if action == "earlier" else 1)
    else:
        form = DescribeForm(request.POST, prefix=f"p{photo.pk}")
        if form.is_valid():
            try:
                services.describe_photo(photo, obj, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error.messages)
        if form.errors:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return _page(request, key, obj, status=422)
        messages.success(request, _("The description is saved."))
    return redirect("core:photos", key=key, object_id=obj.pk)


def serve(request, pk: int, name: str):
    """A photo's file, after the view permission of the page it belongs to. Its name holds a
    random token, so a file's address never serves another picture and may be cached long."""
    photo = get_object_or_404(Photo.objects.select_related("content_type"), pk=pk)
    if name not in {photo.large.name.rsplit("/", 1)[-1], photo.small.name.rsplit("/", 1)[-1]}:
        raise Http404(name)
    field = photo.large if photo.large.name.endswith("/" + name) else photo.small
    owner = selectors.owner_of(photo)
    photographed = selectors.registry.for_model(type(owner)) if owner is not None else None
    if photographed is None or not photographed.may_view(request.user, owner):
        raise Http404(name)  # a draft's photo is as invisible as the draft
    try:
        handle = field.open("rb")
    except FileNotFoundError as missing:
        raise Http404(name) from missing
    response = FileResponse(handle, content_type="image/jpeg")
    # Cached by anyone in between only when a visitor who is not signed in may see it too.
    public = photographed.may_view(AnonymousUser(), owner)
    response["Cache-Control"] = (
        "public, max-age=604800, immutable" if public else "private, max-age=3600"
    )
    return response
