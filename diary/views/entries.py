from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def log_entry(request: HttpRequest) -> HttpResponse:
    return render(request, "diary/log.html", {"nav": "log"})


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    return render(request, "diary/log.html", {"nav": "diary"})


@login_required
def entry_edit(request: HttpRequest, pk: str) -> HttpResponse:
    return render(request, "diary/log.html", {"nav": "diary"})


@login_required
def entry_delete(request: HttpRequest, pk: str) -> HttpResponse:
    return render(request, "diary/log.html", {"nav": "diary"})
