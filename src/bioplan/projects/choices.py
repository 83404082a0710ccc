"""Choices of the key-project registry (重点项目)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStage(models.TextChoices):
    """The landing stages (落地阶段) a project passes, in order."""

    SIGNED = "signed", _("签约")
    LAND = "land", _("土地出让")
    STARTED = "started", _("开工")
    COMPLETED = "completed", _("竣工")
    PRODUCING = "producing", _("投产")
    FULL_OUTPUT = "full_output", _("达产")


STAGE_ORDER: list[str] = [s.value for s in ProjectStage]


class ProjectType(models.TextChoices):
    NEW = "new", _("新建")
    EXPANSION = "expansion", _("扩建")
    RENOVATION = "renovation", _("技改")
    RESEARCH = "research", _("研发")


class WarningLevel(models.TextChoices):
    """How a project stands against the planned date of its next stage (预警)."""

    NONE = "", _("正常")
    DUE_SOON = "due_soon", _("即将到期")
    NO_PLAN = "no_plan", _("未排期")
    OVERDUE = "overdue", _("逾期")
    SEVERE = "severe", _("严重逾期")
