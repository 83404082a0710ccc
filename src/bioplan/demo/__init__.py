"""Demo data: the four Shanghai district biomedicine plans and the Minhang paper's 十四五 goals as
contract-format JSON (facts only: numbers, names, short task titles), plus demo users."""
