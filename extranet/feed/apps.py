from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "extranet.feed"
    label = "feed"
    verbose_name = _("Common group feed")

    def ready(self):
        from core.pagecache import purge_on_change

        from . import receivers  # noqa: F401 - connects the notices' receivers
        from .models import Post
        from .selectors import kind_counts_tag

        purge_on_change(Post, lambda post: [kind_counts_tag(post.initiative_id)])
