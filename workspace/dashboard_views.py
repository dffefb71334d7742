from django.http import HttpRequest, HttpResponse

from workspace.access import engineer_required


@engineer_required
def dashboard(request: HttpRequest) -> HttpResponse:  # placeholder until the dashboard lands
    return HttpResponse("dashboard")
