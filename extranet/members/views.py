from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse


@login_required
def cabinet(request):
    """The personal cabinet's landing page (the profile form arrives with the membership issue)."""
    return TemplateResponse(request, "members/cabinet.html", {"user_obj": request.user})
