import pytest
from tests.enterprises.factories import make_credit_code

from bioplan.enterprises.creditcode import (
    credit_code_check_char,
    credit_code_is_valid,
    credit_code_normalize,
    credit_code_problem,
)


def test_published_example_code_is_valid():
    assert credit_code_problem("91350100M000100Y43") is None


def test_check_char_of_published_example():
    assert credit_code_check_char("91350100M000100Y4") == "3"


def test_wrong_check_char_names_the_expected_one():
    assert credit_code_problem("91350100M000100Y44") == "校验码错误：第18位应为“3”，实为“4”"


def test_wrong_length_is_reported():
    assert credit_code_problem("91350100M000100Y4") == "统一社会信用代码应为18位，实为17位"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_excluded_by_the_standard_are_rejected(letter):
    code = "91350100M000100Y4" + letter
    assert "非法字符" in credit_code_problem(code)


def test_region_part_must_be_digits():
    first17 = "9135A100M000100Y4"
    assert credit_code_problem(first17 + credit_code_check_char(first17)) == "第3–8位应为行政区划代码（数字）"


def test_normalize_removes_spaces_and_upper_cases():
    assert credit_code_normalize(" 91350100 m000100y43 ") == "91350100M000100Y43"
    assert credit_code_is_valid(" 91350100 m000100y43 ")


def test_check_char_31_is_written_as_zero():
    # Search a prefix whose weighted sum is a multiple of 31: its check char must be "0".
    for n in range(1, 2000):
        code = make_credit_code(n)
        if code[-1] == "0":
            assert credit_code_problem(code) is None
            break
    else:  # pragma: no cover
        pytest.fail("no code with check char 0 found")


def test_factory_codes_are_all_valid():
    assert all(credit_code_problem(make_credit_code(n)) is None for n in range(1, 500))
