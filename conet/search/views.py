"""The search page: one box in the visitor's language, filters, highlighted matches, pages."""

from django.shortcuts import render
from django.utils.translation import get_language

from conet.search import selectors
from conet.search.forms import SearchForm

PER_PAGE = 20


def search_page(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound:
        form.is_valid()  # invalid filters are shown with their error and left out
        data = getattr(form, "cleaned_data", {})
        query = data.get("q") or ""
        if query.strip():
            results = selectors.search(
                query,
                language=get_language(),
                filters=form.filters(),
                page=data.get("page") or 1,
                per_page=PER_PAGE,
                signed_in=request.user.is_authenticated,
            )
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "results": results, "params": params.urlencode()}
    return render(request, "search/search.html", context)
