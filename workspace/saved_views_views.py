"""The page of an engineer's saved queue views, and saving, renaming, deleting one (POST).

The queue page carries the small "Save this view as…" form; a refused save or rename comes
back to this page with what was typed and why (status 400).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.access import engineer_required
from workspace import saved_views
from workspace.models import SavedQueueView


class SavedViewForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the view"), max_length=saved_views.NAME_MAX, required=False
    )
    query = forms.CharField(widget=forms.HiddenInput, max_length=2000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"class": "form-control form-control-sm"})


def _page(
    request: HttpRequest,
    *,
    create: SavedViewForm | None = None,
    renamed: tuple[int, SavedViewForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    views = SavedQueueView.objects.filter(engineer=request.user)
    rows = []
    for view in views:
        form = SavedViewForm(initial={"name": view.name}, auto_id=f"view-{view.pk}-%s")
        if renamed and renamed[0] == view.pk:
            form = renamed[1]
        rows.append((view, form))
    context = {"rows": rows, "create": create, "queue_url": reverse("workspace:queue")}
    return render(request, "workspace/saved_views.html", context, status=status)


def _refused(form: SavedViewForm, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


@require_GET
@engineer_required
def saved_view_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@engineer_required
def saved_view_create(request: HttpRequest) -> HttpResponse:
    form = SavedViewForm(request.POST)
    if form.is_valid():
        try:
            view = saved_views.saved_view_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                query=form.cleaned_data["query"],
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The view “%(name)s” is saved.") % {"name": view.name})
            return redirect(f"{reverse('workspace:queue')}?{view.query}")
    return _page(request, create=form, status=400)


@require_POST
@engineer_required
def saved_view_rename(request: HttpRequest, pk: int) -> HttpResponse:
    view = saved_views.saved_view_for(user=request.user, pk=pk)
    form = SavedViewForm(request.POST, auto_id=f"view-{view.pk}-%s")
    if form.is_valid():
        try:
            saved_views.saved_view_rename(
                actor=request.user, view=view, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The view is renamed “%(name)s”.") % {"name": view.name})
            return redirect("workspace:saved_views")
    return _page(request, renamed=(view.pk, form), status=400)


@require_POST
@engineer_required
def saved_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    view = saved_views.saved_view_for(user=request.user, pk=pk)
    saved_views.saved_view_delete(actor=request.user, view=view)
    messages.success(request, _("The view “%(name)s” is deleted.") % {"name": view.name})
    return redirect("workspace:saved_views")
