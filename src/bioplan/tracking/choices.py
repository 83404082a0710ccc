from django.db import models
from django.utils.translation import gettext_lazy as _


class Aggregation(models.TextChoices):
    """How an indicator's figures combine over periods and scopes."""

    SUM = "sum", _("求和")
    AVERAGE = "average", _("平均")
    LAST = "last", _("期末值")
    COUNT = "count", _("计数")


class Source(models.TextChoices):
    """Where a figure comes from (数据来源); earlier entries are preferred when the office has not chosen."""

    STAT_FLASH = "stat_flash", _("统计快报")
    TAX = "tax", _("税务")
    DEPARTMENT = "department", _("部门报送")
    ENTERPRISE = "enterprise", _("企业填报")
    ESTIMATE = "estimate", _("估算")


class PathKind(models.TextChoices):
    """The shape of the expected path to date (序时进度)."""

    AUTO = "", _("自动（产值复合、数量线性）")
    COMPOUND = "compound", _("复合增长")
    LINEAR = "linear", _("线性")
    CUSTOM = "custom", _("自定义")


class Progress(models.TextChoices):
    """A task's progress as its department reports it."""

    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    LATE = "late", _("滞后")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已采纳")


class CycleState(models.TextChoices):
    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已关闭")


class ReminderKind(models.TextChoices):
    MISSING = "missing", _("未报送")
    LATE = "late", _("逾期报送")
    RETURNED = "returned", _("退回未改")


class Colour(models.TextChoices):
    GREEN = "green", _("绿")
    YELLOW = "yellow", _("黄")
    RED = "red", _("红")
    UNKNOWN = "unknown", _("无数据")


class Verdict(models.TextChoices):
    OK = "ok", _("通过")
    FAIL = "fail", _("不一致")
    INFO = "info", _("提示")
