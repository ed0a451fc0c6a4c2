from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def flag_list(request: HttpRequest) -> HttpResponse:
    return render(request, "diary/log.html", {"nav": "flags"})


@login_required
def flag_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "diary/log.html", {"nav": "flags"})
