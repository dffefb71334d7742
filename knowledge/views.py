"""The knowledge base's pages: read and search (everyone signed in, by visibility), write and
publish (engineers), vote, and the new-ticket form's suggestions (JSON)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import engineer_required
from knowledge import selectors, services
from knowledge.forms import ArticleForm
from knowledge.models import Article
from sla.business_time import business_today

PAGE_SIZE = 20


@require_GET
@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    area = request.GET.get("area", "")
    articles = selectors.articles_visible_to(user=request.user, day=business_today())
    if area.isdigit():
        articles = articles.filter(area_id=int(area))
    articles = selectors.search_articles(articles, query).select_related("area")
    articles = articles.defer("body", "search_document")
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "area": area, "areas": selectors.areas()}
    return render(request, "knowledge/list.html", context)


@require_GET
@login_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_for_user(user=request.user, pk=pk, day=business_today())
    vote = article.votes.filter(user=request.user).first()
    context = {"article": article, "vote": vote, "tiers": list(article.tiers.all())}
    return render(request, "knowledge/detail.html", context)


@require_POST
@login_required
def article_vote(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_for_user(user=request.user, pk=pk, day=business_today())
    answer = request.POST.get("helpful")
    if answer not in {"yes", "no"}:
        messages.error(request, _("Choose “Yes” or “No”."))
    else:
        services.article_vote(actor=request.user, article=article, helpful=answer == "yes")
        messages.success(request, _("Thank you: your answer is recorded."))
    return redirect("knowledge:detail", pk=article.pk)


def _edit(request: HttpRequest, article: Article | None) -> HttpResponse:
    if request.method == "POST":
        form = ArticleForm(request.POST)
        if form.is_valid():
            try:
                saved = services.article_save(
                    actor=request.user, article=article, **form.service_arguments()
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The article is saved."))
                return redirect("knowledge:detail", pk=saved.pk)
        status = 400
    else:
        initial = {"language": request.LANGUAGE_CODE[:2]}
        if article is not None:
            initial = {
                "title": article.title,
                "body": article.body,
                "area": article.area_id,
                "language": article.language,
                "tiers": list(article.tiers.all()),
            }
        form = ArticleForm(initial=initial)
        status = 200
    return render(request, "knowledge/edit.html", {"form": form, "article": article}, status=status)


@require_http_methods(["GET", "POST"])
@engineer_required
def article_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@require_http_methods(["GET", "POST"])
@engineer_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(
        request, selectors.article_for_user(user=request.user, pk=pk, day=business_today())
    )


@require_POST
@engineer_required
def article_publish(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_for_user(user=request.user, pk=pk, day=business_today())
    publish = request.POST.get("publish") != "0"
    services.article_publish(actor=request.user, article=article, publish=publish)
    messages.success(
        request,
        _("The article is published.") if publish else _("The article is a draft again."),
    )
    return redirect("knowledge:detail", pk=article.pk)


@require_GET
@login_required
def suggest(request: HttpRequest) -> JsonResponse:
    """Articles matching what the customer types as the subject of a new ticket."""
    found = selectors.suggestions_for(
        user=request.user, query=request.GET.get("q", "")[:200], day=business_today()
    )
    return JsonResponse(
        {
            "articles": [
                {
                    "id": article.pk,
                    "title": article.title,
                    "area": article.area.label,
                    "url": reverse("knowledge:detail", args=[article.pk]),
                    "opened": reverse("knowledge:opened", args=[article.pk]),
                }
                for article in found
            ]
        }
    )


@require_POST
@login_required
def suggestion_opened(request: HttpRequest, pk: int) -> HttpResponse:
    """The form's script says a suggested article was opened (a deflection until a ticket
    is filed)."""
    article = selectors.article_for_user(user=request.user, pk=pk, day=business_today())
    services.suggestion_opened(actor=request.user, article=article)
    return HttpResponse(status=204)
