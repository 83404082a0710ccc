from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    TOWN = "town", _("Town/subdistrict")
    PARK = "park", _("Park")


class DepartmentKind(models.TextChoices):
    BUREAU = "bureau", _("Bureau or commission")
    TOWN = "town", _("Town")
    COMPANY = "company", _("District company")
    COMMITTEE = "committee", _("Management committee")
    PARK_OPERATOR = "park_operator", _("Park operator")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("Office admin")
    LIAISON = "liaison", _("Department liaison")
    PARK_OPERATOR = "park_operator", _("Park operator")
    LEADER = "leader", _("Leader (read-only)")
    RESEARCHER = "researcher", _("Researcher (read-only)")
