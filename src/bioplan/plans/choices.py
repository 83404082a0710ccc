from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    CONSULTATION = "征求意见稿", _("Consultation draft")
    SUBMITTED = "送审稿", _("Draft for approval")
    ISSUED = "印发", _("Issued")
    PAPER = "论文", _("Research paper")


class TargetKind(models.TextChoices):
    LEVEL = "level", _("Stock level")
    INCREMENT = "increment", _("Increment")
    GROWTH_RATE = "growth_rate", _("Growth rate")
    SHARE = "share", _("Share")


class Comparator(models.TextChoices):
    GT = ">", _("more than")
    GE = ">=", _("at least")
    EQ = "=", _("about")
    RANGE = "range", _("range")
    LT = "<", _("less than")
    LE = "<=", _("at most")


class TargetLevel(models.TextChoices):
    FLOOR = "floor", _("Must (floor)")
    STRETCH = "stretch", _("Strive (stretch)")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    CO = "co", _("Co-operating")


class ImportDraftState(models.TextChoices):
    """Where an uploaded plan stands in the office's review (导入草稿的状态)."""

    PENDING = "pending", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    DISCARDED = "discarded", _("Discarded")
