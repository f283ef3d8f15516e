"""Staff pages of the core: home, regions, departments. (/healthz is a middleware.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from congress.registry import home_cards
from congress.scoping import get_visible_or_404, visible_departments, visible_regions


@login_required
def home(request: HttpRequest) -> HttpResponse:
    cards = []
    for card in home_cards:
        context = card.render(request)
        if context is not None:
            cards.append({"template": card.template, "context": context})
    return render(request, "congress/home.html", {"cards": cards})


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    regions = visible_regions(request.user).order_by("path")
    query = request.GET.get("q", "").strip()
    if query:
        regions = regions.filter(name__icontains=query)
    page = Paginator(regions, 100).get_page(request.GET.get("page"))
    return render(request, "congress/region_list.html", {"page": page, "q": query})


@login_required
def region_detail(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_visible_or_404(visible_regions(request.user), pk=pk)
    context = {
        "region": region,
        "ancestors": region.ancestors(),
        "children": region.children.order_by("name"),
        "departments": visible_departments(request.user).filter(region=region),
    }
    return render(request, "congress/region_detail.html", context)


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    departments = visible_departments(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        departments = departments.filter(name__icontains=query)
    page = Paginator(departments, 50).get_page(request.GET.get("page"))
    return render(request, "congress/department_list.html", {"page": page, "q": query})


@login_required
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_visible_or_404(visible_departments(request.user), pk=pk)
    return render(request, "congress/department_detail.html", {"department": department})


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``: browsers ask for it on their own where a page links no icon
    (the printable reports, the 500 page) or before they read the page's link; the
    product's icon answers it instead of a 404 in every console."""
    return redirect(static("icons/app-icon.svg"), permanent=True)
