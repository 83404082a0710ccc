from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    CITY = "city", _("市")
    DISTRICT = "district", _("区")
    TOWN = "town", _("镇/街道")
    PARK = "park", _("园区")


class DepartmentKind(models.TextChoices):
    BUREAU = "bureau", _("委办局")
    TOWN = "town", _("街镇")
    COMPANY = "company", _("区属公司")
    COMMITTEE = "committee", _("管委会")
    PARK_OPERATOR = "park_operator", _("园区运营")
    OTHER = "other", _("其他")


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("办公室管理员")
    LIAISON = "liaison", _("部门联络员")
    PARK_OPERATOR = "park_operator", _("园区运营方")
    LEADER = "leader", _("领导（只读）")
    RESEARCHER = "researcher", _("研究人员（只读）")
