from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasExchangeConfig(AppConfig):
    name = "ideas_exchange"
    verbose_name = _("Ideas exchange")

    def ready(self):
        from core.pagecache import purge_on_change

        from .models import (
            Idea,
            IdeaAttachment,
            IdeaComment,
            IdeaStageChange,
            Partnership,
            TaggedIdea,
        )

        # Ideas are not pages: the board and every idea's page are purged on any change.
        for model in (Idea, IdeaAttachment, IdeaComment, IdeaStageChange, Partnership, TaggedIdea):
            purge_on_change(model, lambda instance: ["ideas"])
