import pytest

from bioplan.ingest.deadlines import parse_deadline


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("2024年底前", "2024-12-31"),
        ("2024年6月底前", "2024-06-30"),
        ("2025年上半年", "2025-06-30"),
        ("2024年三季度", "2024-09-30"),
        ("2023—2025年", "2025-12-31"),
        ("2024年6月—2025年", "2025-12-31"),
        ("２０２６年３月１５日前", "2026-03-15"),
        ("2025年2月", "2025-02-28"),
        ("长期坚持", None),
        ("持续推进", None),
    ],
)
def test_deadline_text_gives_the_last_day_it_names(written, date):
    deadline = parse_deadline(written)
    assert deadline is not None
    assert deadline.text == written
    assert deadline.date == date


def test_empty_text_is_no_deadline():
    assert parse_deadline(" ；") is None
