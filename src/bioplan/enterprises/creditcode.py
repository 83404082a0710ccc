"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, the last a check.

Pure functions, no Django: `credit_code_problem()` says what is wrong with a code (or None), and
`credit_code_check_char()` computes the check character of the first 17, which the demo uses.
"""

from __future__ import annotations

# The 31 characters allowed (no I, O, Z, S, V), in the order that gives each its value 0–30.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Position 1: the registering authority (机构编制, 民政, 工商 …); 2: the kind of organisation.
AUTHORITY_CHARS = set("123456789ANY")


def credit_code_normalize(code: str) -> str:
    """Upper case, surrounding and inner spaces removed (codes are often typed with spaces)."""
    return "".join(code.split()).upper()


def credit_code_check_char(first17: str) -> str:
    """The 18th character for the first 17: 31 − (Σ value × weight mod 31), 31 written as 0."""
    if len(first17) != 17 or any(c not in VALUES for c in first17):
        raise ValueError(f"need 17 characters of {ALPHABET}: {first17!r}")
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """None when `code` (already normalised) is a valid code, else the problem in Chinese."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实为{len(code)}位"
    bad = sorted({c for c in code if c not in VALUES})
    if bad:
        return f"统一社会信用代码含非法字符：{''.join(bad)}（不使用 I、O、Z、S、V）"
    if code[0] not in AUTHORITY_CHARS:
        return f"第1位登记管理部门代码“{code[0]}”无效"
    if not code[2:8].isdigit():
        return "第3–8位应为行政区划代码（数字）"
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return f"校验码错误：第18位应为“{expected}”，实为“{code[17]}”"
    return None


def credit_code_is_valid(code: str) -> bool:
    return credit_code_problem(credit_code_normalize(code)) is None
