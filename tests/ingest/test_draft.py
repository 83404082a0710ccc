"""The contract's optional fields: deadline, direction, confidence and reason (draft.py)."""

import json

import pytest

from bioplan.ingest.draft import PlanDraft
from bioplan.ingest.errors import DraftInvalid

OLD = {
    "document": "old.json",
    "plan": {
        "region": "青浦区",
        "title": "青浦区行动方案（2021—2023年）",
        "period_start": 2021,
        "period_end": 2023,
    },
    "targets": [
        {
            "id": "T01",
            "metric": "总产值",
            "kind": "level",
            "value": 160,
            "unit": "亿元",
            "comparator": ">",
            "year": 2023,
        }
    ],
    "tasks": [
        {"number": "1", "title": "发展三大领域", "lead_departments": ["区经委"], "departments": ["区经委"]}
    ],
    "departments": ["区经委"],
    "parks": [{"name": "青浦生命科学园", "type": "区域型", "group": "3", "focus": [], "new_land_mu": 3000}],
}


def test_json_without_the_new_fields_loads_with_defaults():
    draft = PlanDraft.from_dict(OLD)
    assert draft.targets[0].direction == "up"
    assert draft.targets[0].confidence == 1.0 and draft.targets[0].reason == ""
    assert draft.tasks[0].deadline is None and draft.tasks[0].assignments == []
    assert draft.parks[0].confidence == 1.0 and "confidence" not in draft.parks[0].extra
    assert draft.plan.evidence == {}


def test_new_fields_survive_a_json_round_trip():
    raw = json.loads(json.dumps(OLD))
    raw["targets"][0].update(direction="down", confidence=0.42, reason="句中目标")
    raw["tasks"][0].update(
        deadline={"text": "2024年底前", "date": "2024-12-31"},
        confidence=0.8,
        reason="编号",
        assignments=[{"department": "区经委", "lead": True, "confidence": 0.9, "reason": "括注"}],
    )
    raw["parks"][0].update(confidence=0.7, reason="布局公式")
    raw["plan"]["evidence"] = {"region": {"confidence": 0.9, "reason": "标题"}}
    once = PlanDraft.from_dict(raw).to_dict()
    again = PlanDraft.from_dict(json.loads(json.dumps(once))).to_dict()
    assert once == again
    assert once["targets"][0]["direction"] == "down" and once["targets"][0]["confidence"] == 0.42
    assert once["tasks"][0]["deadline"] == {"text": "2024年底前", "date": "2024-12-31"}
    assert once["tasks"][0]["assignments"][0] == {
        "department": "区经委",
        "lead": True,
        "confidence": 0.9,
        "reason": "括注",
    }
    assert once["parks"][0]["confidence"] == 0.7 and once["parks"][0]["reason"] == "布局公式"
    assert once["plan"]["evidence"]["region"] == {"confidence": 0.9, "reason": "标题"}


def test_a_deadline_written_as_plain_text_keeps_the_text_without_a_date():
    raw = json.loads(json.dumps(OLD))
    raw["tasks"][0]["deadline"] = "长期坚持"
    task = PlanDraft.from_dict(raw).tasks[0]
    assert task.deadline is not None and task.deadline.text == "长期坚持" and task.deadline.date is None


@pytest.mark.parametrize(
    ("where", "key", "value", "message"),
    [
        ("targets", "confidence", 1.5, "targets[0].confidence: must be a number from 0 to 1"),
        ("targets", "direction", "sideways", "targets[0].direction: 'sideways' is not up or down"),
        ("tasks", "deadline", {"text": "2024年底前", "date": "2024/12/31"}, "is not a YYYY-MM-DD date"),
        ("tasks", "assignments", [{"department": "区科委"}], "区科委 not in departments"),
        ("parks", "reason", 3, "parks[0].reason: must be text"),
    ],
)
def test_wrong_new_fields_are_named(where, key, value, message):
    raw = json.loads(json.dumps(OLD))
    raw[where][0][key] = value
    with pytest.raises(DraftInvalid, match=message.replace("[", r"\[").replace("]", r"\]")):
        PlanDraft.from_dict(raw)


def test_plan_evidence_names_only_plan_fields():
    raw = json.loads(json.dumps(OLD))
    raw["plan"]["evidence"] = {"colour": {"confidence": 0.5, "reason": ""}}
    with pytest.raises(DraftInvalid, match="'colour' is not a plan field"):
        PlanDraft.from_dict(raw)
