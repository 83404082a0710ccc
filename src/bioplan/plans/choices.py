from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    CONSULTATION = "征求意见稿", _("征求意见稿")
    SUBMITTED = "送审稿", _("送审稿")
    ISSUED = "印发", _("印发")
    PAPER = "论文", _("论文")


class TargetKind(models.TextChoices):
    LEVEL = "level", _("总量")
    INCREMENT = "increment", _("新增")
    GROWTH_RATE = "growth_rate", _("增速")
    SHARE = "share", _("占比")


class Comparator(models.TextChoices):
    GT = ">", _("超过")
    GE = ">=", _("不低于")
    EQ = "=", _("约/达")
    RANGE = "range", _("区间")
    LT = "<", _("低于")
    LE = "<=", _("不超过")


class TargetLevel(models.TextChoices):
    FLOOR = "floor", _("确保")
    STRETCH = "stretch", _("力争")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("牵头")
    CO = "co", _("配合")
