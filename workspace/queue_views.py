from django.http import HttpRequest, HttpResponse

from workspace.access import engineer_required


@engineer_required
def queue(request: HttpRequest) -> HttpResponse:  # placeholder until the queue lands
    return HttpResponse("queue")


queue_rows = queue_bulk = queue
