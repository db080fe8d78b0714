"""/cabinet/admin/broadcast/ (placeholder until it lands)."""

from django.http import Http404


def broadcast_new(request):
    raise Http404


def broadcast_detail(request, pk):
    raise Http404
