"""Meeting pages."""

from django.http import HttpResponse


def meeting_detail(request, pk: int):
    return HttpResponse(status=404)
