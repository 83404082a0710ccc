from bioplan.ingest.score import Counts, format_report, overall, score_document, similarity


def target(metric, value, unit="家", year=2025, **kw):
    base = {
        "metric": metric,
        "kind": "level",
        "value": value,
        "value_max": None,
        "unit": unit,
        "comparator": "=",
        "year": year,
        "level": None,
        "scope": "甲区",
    }
    base.update(kw)
    return base


def doc(targets=(), tasks=(), departments=(), parks=()):
    return {
        "targets": list(targets),
        "tasks": list(tasks),
        "departments": list(departments),
        "parks": [{"name": p} for p in parks],
    }


def test_similarity_is_dice_over_bigrams_and_one_for_containment():
    assert similarity("生物医药上市企业", "上市企业") == 1.0
    assert similarity("abcd", "abxy") == 2 * 1 / 6
    assert similarity("", "x") == 0.0


def test_targets_match_on_value_unit_year_and_metric_similarity_one_to_one():
    gold = doc([target("高新技术企业", 50), target("高新技术企业", 50, year=2024), target("研发机构", 12)])
    pred = doc([target("高新技术企业", 50), target("高新技术企业", 50), target("研发机构", 12, unit="个")])
    s = score_document(gold, pred)
    assert (s.counts["targets"].tp, s.counts["targets"].fp, s.counts["targets"].fn) == (1, 2, 2)


def test_unrelated_metric_with_same_number_does_not_match():
    s = score_document(doc([target("高新技术企业", 50)]), doc([target("标准厂房", 50)]))
    assert s.counts["targets"].tp == 0


def test_field_accuracy_counts_only_matched_targets():
    gold = doc([target("产值", 100, comparator=">", level="floor"), target("企业", 5)])
    pred = doc([target("产值", 100, comparator=">=", level="floor"), target("平台", 9)])
    s = score_document(gold, pred)
    assert s.fields["comparator"] == [0, 1]
    assert s.fields["level"] == [1, 1]
    assert s.field_accuracy() == 4 / 5


def test_tasks_pairs_departments_and_parks():
    gold = doc(
        tasks=[
            {"number": "1", "title": "建设平台", "departments": ["区经委", "区科委"]},
            {"number": "2", "title": "引进企业", "departments": ["区商务委"]},
        ],
        departments=["区经委", "区科委", "区商务委"],
        parks=["甲 e港产业园", "乙园区"],
    )
    pred = doc(
        tasks=[
            {"number": "1", "title": "建设平台", "departments": ["区经委"]},
            {"number": "3", "title": "引进企业", "departments": ["区商务委"]},
        ],
        departments=["区经委", "区科委"],
        parks=["甲e港产业园"],
    )
    s = score_document(gold, pred)
    assert (s.counts["tasks"].tp, s.counts["tasks"].fp, s.counts["tasks"].fn) == (1, 1, 1)
    assert (s.counts["pairs"].tp, s.counts["pairs"].fp, s.counts["pairs"].fn) == (1, 1, 2)
    assert (s.counts["departments"].precision, s.counts["departments"].recall) == (1.0, 2 / 3)
    assert (s.counts["parks"].tp, s.counts["parks"].fn) == (1, 1)


def test_empty_gold_and_empty_prediction_score_one():
    c = Counts()
    assert (c.precision, c.recall, c.f1) == (1.0, 1.0, 1.0)


def test_overall_sums_counts_and_report_lists_documents():
    a = score_document(doc([target("产值", 1)]), doc([target("产值", 1)]), name="a.txt")
    b = score_document(doc([target("产值", 1)]), doc(), name="b.txt")
    total = overall([a, b])
    assert (total.counts["targets"].tp, total.counts["targets"].fn) == (1, 1)
    report = format_report([a, b])
    assert "a.txt" in report and "b.txt" in report and "overall" in report
    assert "field accuracy on matched targets" in report
