"""Find the quantitative targets of a plan (../shared/eval/GOLD_GUIDE.md, "targets").

Why hand-written: a target is a number in a particular grammatical and document position, and no
library (nor an offline model) knows that "现有…62.3亿" is a baseline, "10亿元以上的企业" a condition,
"力争" a stretch level that stops at the next subject, or that "“3”，指 3 个园区" is no goal at all.
The rules, in order:

1. Where: in a goals section (a heading with 目标 above it) every number with a unit may be a
   target; elsewhere a number needs a goal word in its clause (新增, 累计, 不少于, 打造 N 个 …) or a
   future anchor (到2026年, 十四五期间, 将); in a section about the present (现状) and in a research
   paper only sentences with a future anchor count.
2. Not targets: years, ranks and classes (500强, 1类, 亿级), a number that qualifies the next one in
   the same clause (a condition, kept in the metric), cluster sizes, subsidy amounts, facts
   (现有, 截至, 了 …) — facts become the baseline of a level target with the same unit.
3. Each number "owns" the text since the previous number: its kind (增长 % → growth_rate, 占比 →
   share, 新增/培育/打造 → increment, 累计/建成 → level), its level word (确保 → floor,
   力争/争取/努力 → stretch, carried while the subject stays the same), and its metric (that text
   trimmed of verbs, or the noun after the number: "培育 90 家高新技术企业"); an empty metric is
   inherited from the previous number.
4. Scope: a park/base/zone named at the start of the clause, the 专栏 item that names one, else the
   region. Year: the latest 到20XX年 before the number, 十四五 → 2025, else the plan's end year.

All vocabulary is in data/*.txt (target_words, metric_trim, level_words, park_words, units).

In: ``Outline`` and ``PlanMeta``. Out: ``TargetDraft`` list (ids T01…) and warnings.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from bioplan.ingest.draft import PlanMeta, TargetDraft
from bioplan.ingest.layout import layout_sections
from bioplan.ingest.metadata import five_year_plan_years
from bioplan.ingest.outline import Outline, Section
from bioplan.ingest.quantities import Quantity, find_quantities, load_list, parse_number

__all__ = ["extract_targets", "targets_in_text"]

_QUOTE_MAX = 80
_YEAR_LOOKBACK = 300  # a year anchor further back than this in a sentence is not this number's
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_CLAUSE_SEP = re.compile(
    r"[，,；;]|[：:](?![ \t]*(?:约|不低于|不少于|超过|突破|达到)?[0-9])"
)  # "指标：10个" is one clause
_YEAR = re.compile(r"(?P<to>到|至|截至|截止|在)?(?P<year>(?:19|20)\d\d)年(?:底|末|前)?")
_FIVE_YEAR = re.compile(r"十[一二三四五]五")
_MONEY = ("元", "万元", "亿元", "千元", "万亿元", "美元", "万美元", "亿美元")
_HALF = re.compile(r"半数以上")
_HAS_DIGIT = re.compile(r"[0-9]")
_COMPARED_YEAR = re.compile(r"(?:相比|对比|比|较)(?:19|20)\d\d年(?:底|末)?")
_COUNT_UNITS = tuple(load_list("count_units.txt"))


@lru_cache(maxsize=1)
def _words() -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = {}
    for line in load_list("target_words.txt"):
        group, _, word = line.partition("\t")
        groups.setdefault(group.strip(), []).append(word.strip())
    return {g: tuple(sorted(ws, key=len, reverse=True)) for g, ws in groups.items()}


@lru_cache(maxsize=1)
def _trim() -> tuple[tuple[str, ...], tuple[str, ...]]:
    heads: list[str] = []
    tails: list[str] = []
    for line in load_list("metric_trim.txt"):
        where, _, word = line.partition("\t")
        (heads if where.strip() == "head" else tails).append(word.strip())
    return tuple(sorted(heads, key=len, reverse=True)), tuple(sorted(tails, key=len, reverse=True))


@lru_cache(maxsize=1)
def _levels() -> dict[str, str]:
    out = {}
    for line in load_list("level_words.txt"):
        word, _, level = line.partition("\t")
        out[word.strip()] = level.strip()
    return out


@lru_cache(maxsize=1)
def _level_re() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, _levels()), key=len, reverse=True)))


@lru_cache(maxsize=1)
def _scope_re() -> re.Pattern[str]:
    zones = "|".join(
        sorted(map(re.escape, (*load_list("park_words.txt"), "街镇", "镇")), key=len, reverse=True)
    )
    name = rf"[\u4e00-\u9fffA-Za-z0-9·]{{1,20}}?(?:{zones})(?:[（(][^（）()]{{1,15}}[）)])?"
    return re.compile(rf"^(?P<scope>{name}(?:(?:及|和|与){name})*)")


_SCOPE_FOLLOW = re.compile(r"^(?:现有|可|到|至|(?:19|20)\d\d年|新增|将|实现|力争|确保|争取|累计|要|在)")
_NONTARGET_UNITS = frozenset(load_list("nontarget_units.txt"))


@cache
def _group_re(group: str) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, _words()[group])))


def _has(text: str, group: str) -> bool:
    return _group_re(group).search(text) is not None


@dataclass
class _Context:
    region: str | None
    plan_start: int | None
    plan_end: int | None
    paper: bool


@dataclass
class _Item:
    q: Quantity
    clause_start: int
    own_start: int  # start of the text this number owns (after the previous number)


def _section_mode(section: Section, paper: bool) -> str:
    """ "goal", "fact" or "other" for text under ``section``."""
    if paper:
        return "fact"
    for node in [section, *section.ancestors()]:
        title = node.title
        if not title:
            continue
        if "目标" in title or title.endswith("指标"):
            return "goal"
        if any(w in title for w in ("现状", "成效", "回顾", "形势")) or title.endswith("基础"):
            return "fact"
        if any(
            w in title
            for w in ("思路", "思想", "原则", "布局", "任务", "措施", "领域", "方向", "重点", "保障")
        ):
            return "other"
    return "other"


@lru_cache(maxsize=8192)
def _strip_metric(text: str) -> str:
    """``text`` without years, level words and the verbs/comparators at its ends (data/metric_trim.txt)."""
    heads, tails = _trim()
    text = _COMPARED_YEAR.sub("", text)
    text = _YEAR.sub("", text)
    text = re.sub(r"[“\"]?十[一二三四五]五[”\"]?(?:期间|时期|末)?", "", text)
    text = re.sub(r"[ \t]+", "", text).strip("，,；;：:、。 ")
    previous = None
    while text and text != previous:
        previous = text
        for w in heads:
            if text.startswith(w) and len(text) > len(w):
                text = text[len(w) :]
                break
        for w in tails:
            if text.endswith(w):
                text = text[: -len(w)]
                break
        text = text.strip("，,；;：:、。 ")
    if text in heads or text in tails:
        return ""
    return text


def _balanced(text: str) -> str:
    for open_, close in (("“", "”"), ("（", "）"), ("(", ")"), ("《", "》")):
        if text.count(open_) != text.count(close):
            text = text.replace(open_, "").replace(close, "")
    return text


def _unquote(metric: str) -> str:
    if metric.startswith("“") and metric.endswith("”") and metric.count("“") == 1:
        metric = metric[1:-1]
    return _balanced(metric)


def _is_target_unit(q: Quantity) -> bool:
    if q.unit in _NONTARGET_UNITS or q.unit.endswith("级"):
        return False
    return not (q.chinese and (not q.known_unit or q.value == 1))


def targets_in_text(
    text: str,
    *,
    mode: str,
    region: str | None,
    plan_start: int | None = None,
    plan_end: int | None = None,
    scope: str | None = None,
    decomposed: bool = False,
    paper: bool = False,
) -> list[TargetDraft]:
    """Targets in one paragraph ``text`` whose section is ``mode`` ("goal", "fact", "other").

    ``scope`` is a park/zone the paragraph is about (a 专栏 item); ``decomposed`` marks paragraphs
    after "…分解如下：", whose subject is a sub-area. Ids are left empty for the caller to number.
    """
    ctx = _Context(region, plan_start, plan_end, paper)
    out: list[TargetDraft] = []
    memory: list[tuple[Quantity, int | None, str]] = []  # facts seen so far in the paragraph
    position = 0
    for m in _SENTENCE_END.finditer(text + "\n"):
        sentence = text[position : m.start()]
        offset = position
        position = m.end()
        if sentence.strip():
            before = len(out)
            sentence, spans = _from_to_targets(sentence, ctx, scope, out)
            out.extend(_sentence_targets(sentence, offset, text, mode, ctx, scope, decomposed, memory))
            multiplied = _multiplier_target(sentence, mode, ctx, scope, memory)
            restated = any(t.unit == (multiplied.unit if multiplied else "") for t in out[before:])
            if multiplied is not None and not restated and not spans:
                out.append(multiplied)
    return out


_FROM_TO = re.compile(
    r"由(?P<by>(?:19|20)\d\d)年(?:底|末)?的?(?P<bv>[0-9]+(?:\.[0-9]+)?)(?P<unit>[^0-9，,；;。的]{1,4}?)"
    r"(?:增长|提高|提升|增加|扩大|上升|跃升)(?:到|至)(?P<ty>(?:19|20)\d\d)年(?:底|末)?的?(?P<tv>[0-9]+(?:\.[0-9]+)?)(?P=unit)"
)


def _from_to_targets(
    sentence: str, ctx: _Context, scope: str | None, out: list[TargetDraft]
) -> tuple[str, list[tuple[int, int]]]:
    """ "产值由2023年的60亿元增长到2026年的120亿元": one target (120) with its baseline (60, 2023).

    The matched words are blanked (same length) so the sentence rule does not read them again.
    """
    spans: list[tuple[int, int]] = []
    for m in _FROM_TO.finditer(sentence):
        unit = m.group("unit")
        clause_start = max(sentence.rfind(ch, 0, m.start()) for ch in "，,；;：:") + 1
        metric = _strip_metric(_level_re().sub("", sentence[clause_start : m.start()]))
        if not metric or not find_quantities(m.group("tv") + unit):
            continue
        if ctx.plan_start is not None and int(m.group("ty")) < ctx.plan_start:
            spans.append((m.start(), m.end()))  # "由2016年的20亿元增加至2019年的51.32亿元": a past fact
            continue
        q = find_quantities(m.group("tv") + unit)[0]
        lm = _level_re().search(sentence[: m.start()])
        out.append(
            TargetDraft(
                id="",
                metric=metric,
                kind="level",
                value=q.value,
                value_max=None,
                unit=q.unit,
                comparator="=",
                year=int(m.group("ty")),
                level=_levels()[lm.group()] if lm else None,
                scope=scope or ctx.region,
                baseline_value=Decimal(m.group("bv")),
                baseline_year=int(m.group("by")),
                quote=sentence[clause_start : m.end()].strip()[-_QUOTE_MAX:],
                confidence=0.85,
                reason=f"「由…增长到…」：目标 {m.group('tv')}{unit}，基数 {m.group('bv')}{unit}（{m.group('by')}年）",
            )
        )
        spans.append((m.start(), m.end()))
    for start, end in spans:
        sentence = sentence[:start] + "　" * (end - start) + sentence[end:]
    return sentence, spans


_MULTIPLIER = re.compile(
    r"(?P<grow>增长|增加)?(?:翻(?P<fan>一|两)?番|(?P<n>\d+(?:\.\d+)?|[两二三四五六七八九十]+)倍)(?P<suffix>以上)?"
)


def _multiplier_target(
    sentence: str,
    mode: str,
    ctx: _Context,
    box_scope: str | None,
    memory: list[tuple[Quantity, int | None, str]],
) -> TargetDraft | None:
    """ "翻一番" / "达到…的1.5倍" relative to the latest stated fact (the baseline) of the paragraph."""
    m = _MULTIPLIER.search(sentence)
    if m is None or not memory:
        return None
    if mode != "goal" and not (_has(sentence, "future") or _future_year(sentence, ctx)):
        return None
    if m.group("n"):
        factor = parse_number(m.group("n"))
        if factor is None:
            return None
        if m.group("grow"):
            factor += 1  # 增长1倍 = twice the baseline
    else:
        factor = Decimal(4 if m.group("fan") == "两" else 2)
    base, base_year, metric = memory[-1]
    if not metric:
        return None
    lm = _level_re().search(sentence[: m.start()])
    year = _target_year(sentence[: m.start()], ctx) or ctx.plan_end
    quote_start = max(sentence.rfind("，", 0, m.start()) + 1, m.end() - _QUOTE_MAX)
    return TargetDraft(
        id="",
        metric=metric,
        kind="level",
        value=base.value * factor,
        value_max=None,
        unit=base.unit,
        comparator=">=" if m.group("suffix") else "=",
        year=year,
        level=_levels()[lm.group()] if lm else None,
        scope=box_scope or ctx.region,
        baseline_value=base.value,
        baseline_year=base_year,
        quote=sentence[quote_start : m.end()],
        confidence=0.6,
        reason=f"倍数目标：{m.group()}乘以同段基数 {base.value}{base.unit}",
    )


def _sentence_targets(
    sentence: str,
    offset: int,
    paragraph: str,
    mode: str,
    ctx: _Context,
    box_scope: str | None,
    decomposed: bool,
    memory: list[tuple[Quantity, int | None, str]],
) -> list[TargetDraft]:
    quantities = find_quantities(sentence)
    half = [h for h in _HALF.finditer(sentence)]
    if not quantities and not half:
        return []
    five_year = _current_five_year(sentence, ctx)
    future = _has(sentence, "future") or five_year
    # "2023年…达9761亿元；上市企业累计达到84家": one past report across its ；, every number a fact.
    past_all = _past_sentence(sentence, ctx, opening_only=mode == "goal")
    if mode == "fact" and not (
        future
        and (
            "将" in sentence
            or _future_year(sentence, ctx)
            or five_year
            or (_has(sentence, "goal") and "力争" in sentence)
        )
    ):
        return []

    clauses: list[tuple[int, int]] = []
    start = 0
    for cm in _CLAUSE_SEP.finditer(sentence):
        clauses.append((start, cm.start()))
        start = cm.end()
    clauses.append((start, len(sentence)))

    clause_starts = [c[0] for c in clauses]

    def clause_of(index: int) -> tuple[int, int]:
        return clauses[max(0, bisect_right(clause_starts, index) - 1)]

    # Quantities with half-shares ("半数以上") added as percentages.
    for h in half:
        quantities.append(
            Quantity(
                h.start(), h.end(), h.start(), Decimal(50), None, "%", ">=", "", "以上", h.group(), True, True
            )
        )
        quantities.sort(key=lambda q: q.start)

    sentence_level: str | None = None
    first_q = quantities[0].start if quantities else len(sentence)
    lm = _level_re().search(sentence)
    if lm and lm.start() < first_q:
        lead = _strip_metric(_YEAR.sub("", sentence[: lm.start()]))
        lead = lead.split("，")[-1] if lead else lead
        if not lead or _clause_text_before(sentence, lm.start()) == "":
            sentence_level = _levels()[lm.group()]

    results: list[TargetDraft] = []
    facts: list[tuple[Quantity, int | None]] = []
    last_metric = ""
    last_kind_verb: str | None = None
    carry_level = sentence_level
    previous_end = 0
    previous_clause: tuple[int, int] | None = None
    scope_for_segment = None
    segment_start = -1
    prev_used_after = False

    for i, q in enumerate(quantities):
        c_start, c_end = clause_of(q.start)
        own_start = max(c_start, previous_end)
        if prev_used_after and previous_end > c_start and "、" in sentence[own_start : q.number_start]:
            own_start = sentence.rindex("、", own_start, q.number_start) + 1
        own = sentence[own_start : q.number_start]
        clause = sentence[c_start:c_end]
        target_unit = _is_target_unit(q)

        # Scope: a sub-area named at the start of the ；-segment (or the box item).
        seg = _segment_start(sentence, q.start)
        if seg != segment_start:
            segment_start = seg
            scope_for_segment = _scope_at(sentence[seg:], decomposed)
        if scope_for_segment is None and c_start > seg:
            scope_for_segment = _scope_at(sentence[c_start:], decomposed)
        scope = scope_for_segment or box_scope or ctx.region

        later = []
        for r in quantities[i + 1 :]:
            if r.start >= c_end:
                break
            if _is_target_unit(r):
                later.append(r)
                break
        is_condition = _is_condition(q, sentence, quantities, i, c_start, c_end)
        if _REFERENCE.search(sentence[max(0, q.number_start - 4) : q.number_start]):
            continue  # "表1所列": a reference, not "1所"
        if not target_unit or is_condition:
            continue  # part of the metric of the next number (kept in its "own" text)

        carried_clause = False
        if previous_clause != (c_start, c_end):
            bare_noun = (
                own.strip() and not _has(own, "goal") and not _has(own, "increment") and not _has(own, "fact")
            )
            comma_before = c_start > 0 and sentence[c_start - 1] in "，,"
            if (
                bare_noun
                and last_kind_verb
                and results
                and own_start == c_start
                and comma_before
                and not q.prefix
            ):
                carried_clause = True  # "新建充电桩3000个，换电站50座": same verb, next object
            elif own.strip() and own.strip() not in ("其中",):
                last_kind_verb = None
            previous_clause = (c_start, c_end)

        fact = (
            past_all
            or _has(own if own_start > c_start else clause[: q.start - c_start], "fact")
            or _past_year(clause[: q.start - c_start], ctx)
        )
        if fact:
            metric = _metric_from(own, sentence, q, q.end, scope_for_segment)
            last_metric = metric or last_metric
            facts.append((q, _fact_year(clause, ctx)))
            memory.append((q, _fact_year(clause, ctx), metric))
            previous_end = q.end
            continue

        if (q.unit in _MONEY or q.unit == "%") and _has(clause, "subsidy"):
            previous_end = q.end
            continue
        tail = sentence[q.end : q.end + 8]
        if _has(tail, "cluster"):
            previous_end = q.end
            continue

        near = own[-8:]
        goal_here = mode == "goal" or _has(near, "goal") or q.suffix in ("以上", "及以上") or bool(q.prefix)
        if mode == "fact":
            goal_here = True  # the sentence passed the future test above
        if not goal_here and own_start == c_start and (not own.strip() or carried_clause) and last_kind_verb:
            goal_here = True
        if not goal_here and _future_year(sentence[: q.start], ctx):
            goal_here = _has(clause, "goal") or bool(q.suffix)
        if q.chinese and mode != "goal" and not (_has(near, "goal") or q.prefix or q.suffix):
            goal_here = False
        if not goal_here:
            previous_end = q.end
            continue

        # Kind.
        kind = "level"
        if q.unit in ("%", "个百分点"):
            if _has(own, "growth") or _direction(own) == "down":
                kind = "growth_rate"
            elif _has(own, "share") or q.text == "半数以上":
                kind = "share"
            elif results and results[-1].kind == "growth_rate" and not _strip_metric(own):
                kind = "growth_rate"
        elif _has(own, "cumulative"):
            kind = "level"
            last_kind_verb = "level"
        elif _has(own, "increment") or (_has(own[-6:], "increment_count") and q.unit in _COUNT_UNITS):
            kind = "increment"
            last_kind_verb = "increment"
        elif last_kind_verb == "increment" and not _has(own, "cumulative"):
            kind = "increment"

        # Metric.
        # The noun after the number runs to the next item (after a 、) or to the end of the clause.
        next_item = bool(later) and "、" in sentence[q.end : later[0].start]
        metric = _metric_from(
            own, sentence, q, later[0].start if next_item else c_end, scope_for_segment, item_end=next_item
        )
        prev_used_after = bool(metric) and metric != _strip_metric(_level_re().sub("", own))
        if (
            kind == "share"
            and metric
            and metric in ("全国占比", "全市占比", "全区占比", "占比")
            and last_metric
        ):
            metric = last_metric + metric
        if not metric and not last_metric and c_start > 0:
            # "营业收入实现倍增，达到2500亿元": the subject is the clause before, which has no number.
            before = sentence[_previous_clause_start(clauses, c_start) : c_start]
            if not find_quantities(before):
                metric = _strip_metric(_level_re().sub("", re.sub(r"实现倍增|翻一番|翻两番", "", before)))
        if not metric:
            metric = last_metric
        else:
            last_metric = metric
        new_subject = bool(_strip_metric(_level_re().sub("", own)))

        # Level.
        own_level = _level_re().search(own)
        level: str | None
        if own_level:
            level = _levels()[own_level.group()]
            carry_level = level
        elif new_subject and not (own_start == c_start and own.strip() == ""):
            level = sentence_level
            carry_level = sentence_level
        else:
            level = carry_level

        year = _target_year(sentence[: q.start], ctx) or _target_year(
            paragraph[:offset], ctx, recent_only=True
        )
        if year is None:
            year = ctx.plan_end
            if _FIVE_YEAR.search(sentence):
                fy = five_year_plan_years(_FIVE_YEAR.search(sentence).group())  # type: ignore[union-attr]
                year = fy[1] if fy else year

        baseline_value = baseline_year = None
        if kind == "level":
            for fq, fyear in facts:
                if fq.unit == q.unit:
                    baseline_value = fq.value
                    baseline_year = (
                        fyear if fyear is not None else (ctx.plan_start - 1 if ctx.plan_start else None)
                    )
                    facts.remove((fq, fyear))
                    break

        quote_start = c_start if own_start == c_start else own_start
        quote_end = q.end
        if prev_used_after:
            # "培育 90 家高新技术企业": the quote runs on to the noun that names the metric.
            found_at = sentence.find(metric, q.end, c_end)
            if found_at >= 0:
                quote_end = found_at + len(metric)
        elif not _strip_metric(sentence[quote_start : q.start]) and c_start > 0:
            quote_start = _previous_clause_start(clauses, c_start)
        quote = sentence[quote_start:quote_end].strip("，,；;：:、 ")
        if len(quote) > _QUOTE_MAX:
            quote = quote[-_QUOTE_MAX:]

        metric = _unquote(metric)
        if not metric:
            previous_end = q.end
            continue
        comparator = q.comparator
        explicit_year = _target_year(sentence[: q.start], ctx) is not None
        confidence = _sentence_confidence(mode, level, explicit_year, q, kind)
        reason = (
            f"句中目标（{_MODE_WORDS[mode]}）：{'有' if level else '无'}确保/力争，"
            f"{'明确年份' if explicit_year else '沿用规划期末'}；「{quote[-24:]}」"
        )
        results.append(
            TargetDraft(
                id="",
                metric=metric,
                kind=kind,
                value=q.value,
                value_max=q.value_max,
                unit=q.unit,
                comparator=comparator,
                year=year,
                level=level,
                scope=scope,
                baseline_value=baseline_value,
                baseline_year=baseline_year if baseline_value is not None else None,
                quote=quote,
                direction=_direction(own),
                confidence=confidence,
                reason=reason,
            )
        )
        previous_end = q.end
    return results


_MODE_WORDS = {"goal": "目标段落", "fact": "基础段落中的未来表述", "other": "任务/其他段落"}
_DOWN = re.compile(r"(?:下降|降低|减少|压减|削减|缩减|降至|减至|控制在)[^，,；;。]{0,4}$")


def _direction(own: str) -> str:
    """ "down" when the words just before the number say the quantity falls (能耗下降15%)."""
    return "down" if _DOWN.search(own) else "up"


def _sentence_confidence(mode: str, level: str | None, explicit_year: bool, q: Quantity, kind: str) -> float:
    """How sure a sentence target is: a goal section, a modal word, a stated year and a bound word
    (以上/超过) each make a past fact or a side remark less likely."""
    score = {"goal": 0.75, "fact": 0.55, "other": 0.6}[mode]
    if level:
        score += 0.1
    if explicit_year:
        score += 0.05
    if q.prefix or q.suffix:
        score += 0.05
    if kind == "level" and q.chinese:
        score -= 0.1
    return round(max(0.05, min(score, 0.99)), 2)


def _current_five_year(sentence: str, ctx: _Context) -> bool:
    """A five-year period named in ``sentence`` that is not over before the plan starts."""
    for m in _FIVE_YEAR.finditer(sentence):
        years = five_year_plan_years(m.group())
        if years is None or ctx.plan_start is None or years[1] >= ctx.plan_start:
            return True
    return False


def _past_sentence(sentence: str, ctx: _Context, *, opening_only: bool = False) -> bool:
    """A sentence dated only before the plan period, with no level word: a report of facts.

    Under a goal heading the date must open the sentence ("2023年，全省…累计营收306亿元").
    """
    if ctx.plan_start is None or _level_re().search(sentence) or _FUTURE_MARK.search(sentence):
        return False
    if _current_five_year(sentence, ctx):
        return False
    found = list(_YEAR.finditer(sentence))
    years = [int(m.group("year")) for m in found if not m.group("to")]
    if opening_only and (not found or found[0].start() > 6):
        return False
    return bool(years) and max(years) < ctx.plan_start and not _COMPARED_YEAR.search(sentence)


_FUTURE_MARK = re.compile(r"将|预计|届时|目标|(?:到|至)\s*(?:19|20)\d\d")
_REFERENCE = re.compile(r"(?:表|图|附件|附表|专栏|第)\s*$")


def _is_count(unit: str) -> bool:
    return unit.endswith(_COUNT_UNITS)


_RANGE_START = re.compile(r"[—\-~～][ ]*[0-9]")


def _is_condition(
    q: Quantity, sentence: str, quantities: list[Quantity], i: int, c_start: int, c_end: int
) -> bool:
    """True when ``q`` qualifies what another number in its clause counts.

    "营收超10亿元企业达5家" and "10亿元以上的企业达1~2家": the amount is a condition of the count;
    "引育10家以上营收超50亿元的龙头企业": the amount after the count is one too. Items separated
    by 、 are separate targets ("达到4000亿元、全市占比50%").
    """
    if _RANGE_START.match(sentence, q.end):
        return True  # "1亿—5亿元企业2—3家": the lower bound of a size class
    follows_de = sentence.startswith("的", q.end)
    for r in quantities[i + 1 :]:
        if r.start >= c_end:
            break
        if not _is_target_unit(r):
            continue
        between = sentence[q.end : r.start]
        if "、" in between or not between:
            break
        if follows_de or (not _is_count(q.unit) and _is_count(r.unit)):
            return True
        break
    if follows_de and not _is_count(q.unit):
        for r in reversed(quantities[:i]):
            if r.end <= c_start:
                break
            if _is_target_unit(r) and _is_count(r.unit) and "、" not in sentence[r.end : q.start]:
                return True
    return False


def _clause_text_before(sentence: str, index: int) -> str:
    head = sentence[:index]
    cut = max(head.rfind("，"), head.rfind("；"), head.rfind("："))
    return _strip_metric(head[cut + 1 :])


def _previous_clause_start(clauses: list[tuple[int, int]], c_start: int) -> int:
    for c in reversed(clauses):
        if c[0] < c_start:
            return c[0]
    return c_start


def _segment_start(sentence: str, index: int) -> int:
    low = max(0, index - _YEAR_LOOKBACK)
    cut = max(sentence.rfind("；", low, index), sentence.rfind(";", low, index))
    return cut + 1 if cut >= 0 else (0 if low == 0 else low)


def _scope_at(segment: str, decomposed: bool) -> str | None:
    segment = re.sub(r"^(?:其中|同时|另外)[，,]?", "", segment.strip())
    m = _scope_re().match(segment)
    if not m:
        return None
    rest = segment[m.end() :]
    if _SCOPE_FOLLOW.match(rest) or decomposed:
        return m.group("scope")
    return None


def _metric_from(
    own: str, sentence: str, q: Quantity, bound: int, scope: str | None, *, item_end: bool = False
) -> str:
    """The metric of ``q``: its own text trimmed of verbs, or the noun phrase right after it."""
    text = own
    if scope and scope in text:
        text = text.split(scope, 1)[1]
    text = _level_re().sub("", text)
    metric = _strip_metric(text)
    after = sentence[q.end : bound]
    if item_end and "、" in after:
        after = after[: after.rindex("、")]  # the next item starts after the last 、
    after = after.strip("、 ")
    after = re.sub(r"(?:获批上市|进入.*|来.*|实现.*)$", "", after) or after
    for head_word in ("等", "的"):
        if head_word in after[1:] and (head_word == "等" or "、" in after or len(after) > 12):
            after = after[after.rindex(head_word) + 1 :] or after
    after = re.sub(r"^(?:的|个|家)", "", after.strip())
    after_metric = _strip_metric(after)
    verbs = _words()["increment"] + _words()["increment_count"] + _words()["cumulative"]
    bare = re.sub(r"(?:约|不少于|不低于|至少|超过|超|突破|达到|达)$", "", _level_re().sub("", own).strip())
    ends_with_verb = bare.endswith(verbs)
    if after_metric and (not metric or ends_with_verb or len(metric) <= 2):
        return after_metric
    return metric


def _past_year(text: str, ctx: _Context) -> bool:
    for m in _YEAR.finditer(text):
        if text[max(0, m.start() - 2) : m.start()].endswith(("比", "较", "相比", "对比")):
            continue  # "比2020年增长50%": the year is the base of a comparison, not a fact
        year = int(m.group("year"))
        if ctx.plan_start and year < ctx.plan_start and m.group("to") not in ("到", "至"):
            return True
    return False


def _fact_year(clause: str, ctx: _Context) -> int | None:
    for m in _YEAR.finditer(clause):
        year = int(m.group("year"))
        if ctx.plan_start is None or year < ctx.plan_start:
            return year
    return None


def _future_year(text: str, ctx: _Context) -> int | None:
    best = None
    for m in _YEAR.finditer(text[-_YEAR_LOOKBACK:]):
        year = int(m.group("year"))
        floor = ctx.plan_start or 2000
        if year >= floor and (m.group("to") in ("到", "至") or ctx.plan_start):
            best = year
    return best


def _target_year(text: str, ctx: _Context, recent_only: bool = False) -> int | None:
    if recent_only:
        text = text[-200:]
    year = _future_year(text, ctx)
    if year is not None:
        return year
    fm = _FIVE_YEAR.search(text)
    if fm and not recent_only:
        fy = five_year_plan_years(fm.group())
        return fy[1] if fy else None
    return None


_TABLE_METRIC = re.compile(r"指标|名称|目标内容|内容|项目")
_TABLE_UNIT = re.compile(r"单位")
_TABLE_TARGET = re.compile(r"目标|预期|(?:19|20)\d\d")
_TABLE_BASE = re.compile(r"现状|基期|基数|基准|现值")
_UNIT_IN_PARENS = re.compile(r"[（(](?P<unit>[^（）()]{1,6})[）)]")
_SIGNS = {"≥": "不低于", ">=": "不低于", "＞": "超过", ">": "超过", "≤": "不超过", "<=": "不超过"}


def _past_column(header: str, meta: PlanMeta) -> bool:
    """A column headed by a year before the plan period ("2020年") holds baselines."""
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", header)]
    return (
        bool(years)
        and meta.period_start is not None
        and max(years) < meta.period_start
        and "目标" not in header
    )


def _table_targets(
    rows: list[list[str]], text: str, introduction: str, mode: str, meta: PlanMeta
) -> list[TargetDraft]:
    """Targets in a table of indicators (header row with 指标 and 目标/20XX columns).

    The level word of the sentence introducing the table (力争实现以下目标：) applies to every row.
    """
    if len(rows) < 2:
        return []
    header = rows[0]
    metric_col = next((i for i, h in enumerate(header) if _TABLE_METRIC.search(h)), None)
    target_cols = [i for i, h in enumerate(header) if i != metric_col and _TABLE_TARGET.search(h)]
    if metric_col is None or not target_cols or not (mode == "goal" or "目标" in "".join(header)):
        return []
    unit_col = next((i for i, h in enumerate(header) if _TABLE_UNIT.search(h)), None)
    base_cols = [i for i, h in enumerate(header) if _TABLE_BASE.search(h) or _past_column(h, meta)]
    target_cols = [i for i in target_cols if i not in base_cols]
    if not target_cols:
        return []
    intro_level = None
    lm = _level_re().search(introduction)
    if lm and (
        introduction.rstrip().endswith(("：", ":"))
        or re.search(r"表\s*[0-9一二三四五六七八九十]*所列|下表|如下|以下", introduction)
    ):
        intro_level = _levels()[lm.group()]
    intro_years = [int(y) for y in re.findall(r"(?:19|20)\d\d(?=\s*年)", introduction)]
    intro_year = max(intro_years) if intro_years else None
    out: list[TargetDraft] = []
    for row in rows[1:]:
        cells = row + [""] * (len(header) - len(row))
        raw_metric = cells[metric_col].strip()
        if not raw_metric:
            continue
        um = _UNIT_IN_PARENS.search(raw_metric)
        unit_hint = (cells[unit_col].strip() if unit_col is not None else "") or (
            um.group("unit") if um else ""
        )
        metric = _unquote(_UNIT_IN_PARENS.sub("", raw_metric).strip())
        if not metric:
            continue
        baseline = None
        baseline_year = meta.period_start - 1 if meta.period_start else None
        for i in base_cols:
            found = find_quantities(cells[i] + unit_hint if not find_quantities(cells[i]) else cells[i])
            if found:
                baseline = found[0]
                base_years = [int(y) for y in re.findall(r"(?:19|20)\d\d", header[i])]
                baseline_year = base_years[-1] if base_years else baseline_year
        for i in target_cols:
            if i in base_cols:
                continue
            cell = cells[i].strip()
            for sign, word in _SIGNS.items():
                if cell.startswith(sign):
                    cell = word + cell[len(sign) :]
                    break
            found = find_quantities(cell)
            if not found and unit_hint:
                found = find_quantities(cell + unit_hint)
            if not found:
                continue
            q = found[0]
            years = [int(y) for y in re.findall(r"(?:19|20)\d\d", header[i])]
            year = years[-1] if years else (meta.period_end or intro_year)
            kind = "level"
            if q.unit == "%" and _has(metric, "growth"):
                kind = "growth_rate"
            elif q.unit == "%" and _has(metric, "share"):
                kind = "share"
            elif _has(metric, "increment"):
                kind = "increment"
            line = next((ln for ln in text.split("\n") if raw_metric in ln), raw_metric)
            out.append(
                TargetDraft(
                    id="",
                    metric=metric,
                    kind=kind,
                    value=q.value,
                    value_max=q.value_max,
                    unit=q.unit,
                    comparator=q.comparator,
                    year=year,
                    level=intro_level,
                    scope=meta.region,
                    baseline_value=baseline.value if baseline is not None and kind == "level" else None,
                    baseline_year=baseline_year if baseline is not None and kind == "level" else None,
                    quote=re.sub(r"\s+", " ", line)[:_QUOTE_MAX],
                    direction=_direction(metric),
                    confidence=0.9 if years else 0.8,
                    reason=f"指标表：「{header[metric_col]}」行 × 「{header[i]}」列",
                )
            )
    return out


def extract_targets(outline: Outline, meta: PlanMeta) -> list[TargetDraft]:
    """Every target of the document, numbered T01, T02, … in document order."""
    paper = meta.status == "论文"
    results: list[TargetDraft] = []
    zone_words = tuple(load_list("park_words.txt"))
    for section in outline.root.walk():
        mode = _section_mode(section, paper)
        box_scope = None
        if section.in_box and section.style != "box" and section.title.endswith(zone_words):
            box_scope = section.title
        decomposed = False
        previous_text = ""
        in_section = functools.partial(
            targets_in_text,
            mode=mode,
            region=meta.region,
            plan_start=meta.period_start,
            plan_end=meta.period_end,
            scope=box_scope,
            paper=paper,
        )
        if section.style not in ("root", "box") and _HAS_DIGIT.search(section.title):
            # A heading that states a goal itself: "（一）产业规模：到2025年达到1000亿元".
            results.extend(in_section(section.title))
        for block in section.blocks:
            if block.kind == "table":
                results.extend(_table_targets(block.rows, block.text, previous_text, mode, meta))
                continue
            # A caption ("表1　2023年主要目标") keeps the sentence before it as the introduction.
            caption = previous_text and len(block.text) <= 30 and "。" not in block.text
            previous_text = previous_text + "\n" + block.text if caption else block.text
            results.extend(in_section(block.text, decomposed=decomposed))
            if block.text.rstrip().endswith(("如下：", "如下:")) or "分解如下" in block.text:
                decomposed = True
    # Land and floor figures in a layout part describe a park (规划新增产业用地约2000亩), not a goal.
    spans = [(sec.start, sec.end) for sec in layout_sections(outline)]
    if spans:
        results = [
            t for t in results if not (t.unit in _AREA_UNITS and _inside(t.quote, outline.text, spans))
        ]
    for i, target in enumerate(results, 1):
        target.id = f"T{i:02d}"
    return results


_AREA_UNITS = ("亩", "平方公里", "万平方米", "平方米", "公顷")


def _inside(quote: str, text: str, spans: list[tuple[int, int]]) -> bool:
    at = text.find(quote) if quote else -1
    return at >= 0 and any(start <= at < end for start, end in spans)
