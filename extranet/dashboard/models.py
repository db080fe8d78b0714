"""The indicators' own tables: targets set by the portal admin, and the site's audience.

The audience is counted by the site itself (``audience.py``): no third-party tracker, no
cookie, no IP address. A visitor is a keyed hash of the address and the browser with a salt
that lives for one calendar month (``AudienceSalt``) and is deleted after it, so a month's
hashes can no longer be linked to an address, nor to the next month's.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorTarget(models.Model):
    """The portal admin's target («целевой индикатор», seed 003) for one indicator and year, for
    one initiative or (``initiative`` empty) for the whole platform."""

    initiative = models.ForeignKey(
        "initiatives.InitiativePage",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("indicator"), max_length=64)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        "members.User",
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["year", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "key", "year"],
                name="dashboard_one_target_per_initiative",
            ),
            models.UniqueConstraint(
                fields=["key", "year"],
                condition=models.Q(initiative__isnull=True),
                name="dashboard_one_platform_target",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="dashboard_target_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.key} {self.year}: {self.value}"


class AudienceVisit(models.Model):
    """One visitor's page views on one day (Europe/Minsk days): a row per (day, visitor)."""

    day = models.DateField(_("day"))
    # HMAC-SHA256 of the address and the browser with the month's salt, hex, cut to 32
    # characters (128 bits: no collisions at any audience this site will have).
    visitor = models.CharField(_("visitor"), max_length=32)
    views = models.PositiveIntegerField(_("page views"), default=0)
    signed_in = models.BooleanField(_("signed in"), default=False)

    class Meta:
        verbose_name = _("audience visit")
        verbose_name_plural = _("audience visits")
        constraints = [
            models.UniqueConstraint(fields=["day", "visitor"], name="dashboard_one_visit_a_day")
        ]

    def __str__(self):
        return f"{self.day} {self.visitor[:8]}: {self.views}"


class AudienceSalt(models.Model):
    """The secret of one month's visitor hashes; deleted once the month is over."""

    month = models.DateField(_("month"), unique=True)  # the 1st of the month
    salt = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audience salt")
        verbose_name_plural = _("audience salts")

    def __str__(self):
        return self.month.strftime("%Y-%m")
