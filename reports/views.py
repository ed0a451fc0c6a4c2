from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def report(request: HttpRequest) -> HttpResponse:
    return render(request, "diary/log.html", {"nav": "reports"})


@login_required
def share_list(request: HttpRequest) -> HttpResponse:
    return render(request, "diary/log.html", {"nav": "sharing"})
