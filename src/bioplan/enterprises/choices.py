"""Choices of the enterprise registry: the biomedicine taxonomy, honours, figures and pipelines."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.TextChoices):
    """Biomedicine industry segment (产业细分领域)."""

    CHEMICAL_DRUG = "chemical_drug", _("化学药")
    BIOLOGIC = "biologic", _("生物药")
    TCM = "tcm", _("中药")
    DEVICE = "device", _("医疗器械")
    IVD = "ivd", _("体外诊断")
    EQUIPMENT = "equipment", _("制药装备与原材料")
    CXO = "cxo", _("CXO")
    DISTRIBUTION = "distribution", _("医药商贸流通")
    HEALTHCARE = "healthcare", _("医疗服务")
    DIGITAL = "digital", _("智慧医疗")
    OTHER = "other", _("其他")


class HonourKind(models.TextChoices):
    """A recognition an enterprise holds (企业资质/荣誉), each with a validity period."""

    HIGH_TECH = "high_tech", _("高新技术企业")
    SPECIALIZED = "specialized", _("专精特新中小企业")
    LITTLE_GIANT = "little_giant", _("专精特新小巨人")
    TECH_GIANT = "tech_giant", _("科技小巨人")
    TECH_GIANT_NURTURE = "tech_giant_nurture", _("科技小巨人培育")
    GAZELLE = "gazelle", _("瞪羚企业")
    UNICORN = "unicorn", _("独角兽企业")
    QUASI_UNICORN = "quasi_unicorn", _("准独角兽企业")
    LISTED = "listed", _("上市企业")
    TECH_CENTER = "tech_center", _("企业技术中心")
    RD_INSTITUTE = "rd_institute", _("研发机构")
    SERVICE_PLATFORM = "service_platform", _("技术服务平台")


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")


class ListingBoard(models.TextChoices):
    """Where a listed enterprise's shares trade (上市板块)."""

    NONE = "", _("—")
    STAR = "star", _("科创板")
    SSE_MAIN = "sse_main", _("上交所主板")
    SZSE_MAIN = "szse_main", _("深交所主板")
    CHINEXT = "chinext", _("创业板")
    BSE = "bse", _("北交所")
    HKEX = "hkex", _("港交所")
    NASDAQ = "nasdaq", _("纳斯达克")
    OTHER = "other", _("其他境外")


class FigureSource(models.TextChoices):
    """Where a figure comes from (数据来源)."""

    STATISTICS = "statistics", _("统计部门")
    TAX = "tax", _("税务部门")
    ENTERPRISE = "enterprise", _("企业填报")
    ESTIMATE = "estimate", _("估算")


class FigureField(models.TextChoices):
    """The money or head-count figures an enterprise reports per period (万元 unless 人)."""

    REVENUE = "revenue", _("营业收入")
    INDUSTRIAL_OUTPUT = "industrial_output", _("工业总产值")
    RD_EXPENSE = "rd_expense", _("研发投入")
    TAX = "tax", _("税收")
    EMPLOYEES = "employees", _("从业人员")


class ProductKind(models.TextChoices):
    DRUG = "drug", _("药品")
    DEVICE = "device", _("医疗器械")
    IVD = "ivd", _("体外诊断试剂")


class ProductPhase(models.TextChoices):
    """A step of a product's pipeline (研发管线): drug phases, then device registrations."""

    PRECLINICAL = "preclinical", _("临床前")
    IND = "ind", _("IND获批")
    PHASE_1 = "phase1", _("Ⅰ期临床")
    PHASE_2 = "phase2", _("Ⅱ期临床")
    PHASE_3 = "phase3", _("Ⅲ期临床")
    NDA = "nda", _("NDA申报")
    APPROVED = "approved", _("获批上市")
    INNOVATIVE_REVIEW = "innovative_review", _("创新医疗器械特别审查")
    CLASS_2 = "class2", _("二类注册证")
    CLASS_3 = "class3", _("三类注册证")


DRUG_PHASES = [
    ProductPhase.PRECLINICAL,
    ProductPhase.IND,
    ProductPhase.PHASE_1,
    ProductPhase.PHASE_2,
    ProductPhase.PHASE_3,
    ProductPhase.NDA,
    ProductPhase.APPROVED,
]
DEVICE_PHASES = [ProductPhase.INNOVATIVE_REVIEW, ProductPhase.CLASS_2, ProductPhase.CLASS_3]


class CultivationTier(models.TextChoices):
    """A tier of the cultivation pool (潜力企业培育库), in the order enterprises climb it."""

    POTENTIAL = "potential", _("潜力企业")
    SPECIALIZED = "specialized", _("专精特新")
    LITTLE_GIANT = "little_giant", _("小巨人")
    PRE_IPO = "pre_ipo", _("上市后备")
    LISTED = "listed", _("上市")


TIER_ORDER = [t.value for t in CultivationTier]


class ImportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    FAILED = "failed", _("校验未通过")
    DONE = "done", _("已完成")
    ERROR = "error", _("出错")


class RuleKind(models.TextChoices):
    """How a derived indicator computes a target's actual value from the registries (派生指标规则)."""

    HONOUR_COUNT = "honour_count", _("期末持有资质的企业数")
    NEWLY_LISTED = "newly_listed", _("期内新上市企业数")
    ENTERPRISE_COUNT = "enterprise_count", _("符合条件的企业数")
    FIGURE_SUM = "figure_sum", _("企业指标合计")
    PRODUCTS_REACHING = "products_reaching", _("期内达到阶段的产品数")
    LAND_SUPPLIED = "land_supplied", _("期内供地面积")
