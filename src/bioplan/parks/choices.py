"""Choices of the park registry: park kinds, land and floor space, needs, demand states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParkType(models.TextChoices):
    AREA = "area", _("区域型")
    BUILDING = "building", _("楼宇型")
    BASE = "base", _("基地")
    ZONE = "zone", _("片区")
    FEATURED = "featured", _("特色园区")
    OTHER = "other", _("其他")


class LandUse(models.TextChoices):
    INDUSTRIAL = "industrial", _("工业用地")
    RESEARCH = "research", _("研发用地")
    COMMERCIAL = "commercial", _("商务办公用地")
    OTHER = "other", _("其他")


class ParcelStatus(models.TextChoices):
    RESERVE = "reserve", _("储备")
    AVAILABLE = "available", _("可供")
    SUPPLIED = "supplied", _("已出让")


class SpaceType(models.TextChoices):
    """What a space is (载体类型); LAND is a land parcel, measured in 亩, the others in m²."""

    STANDARD_PLANT = "standard_plant", _("标准厂房")
    GMP_PLANT = "gmp_plant", _("GMP厂房")
    RESEARCH = "research", _("研发楼")
    OFFICE = "office", _("办公")
    LABORATORY = "laboratory", _("实验室")
    LAND = "land", _("工业用地")


class SpaceStatus(models.TextChoices):
    VACANT = "vacant", _("空置")
    RESERVED = "reserved", _("已预订")
    OCCUPIED = "occupied", _("已入驻")


class Facility(models.TextChoices):
    """A special condition a space offers or a demand needs (配套条件)."""

    HAZMAT_STORE = "hazmat_store", _("危化品仓库")
    ANIMAL_HOUSE = "animal_house", _("实验动物房")
    P2_LAB = "p2_lab", _("P2实验室")
    DISCHARGE = "discharge", _("环保排污")
    CLEANROOM = "cleanroom", _("洁净车间")
    DUAL_POWER = "dual_power", _("双回路供电")
    HEAVY_LIFT = "heavy_lift", _("重载货梯")
    PURE_WATER = "pure_water", _("纯水系统")


class DemandStatus(models.TextChoices):
    OPEN = "open", _("待匹配")
    MATCHED = "matched", _("已匹配")
    CLOSED = "closed", _("已关闭")
