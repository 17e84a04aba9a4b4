"""Money is rounded and written out by config/money.py alone (issue 12, finding 7).

Python's default rounding is half-even, the product's is half up: a `quantize(` anywhere else
rounds the other way, and a hand-written `₦{...}` shows `₦15000.00` where every other page
shows `₦15,000`. This reads the code itself (not tests, not migrations) and lists every
stray place.
"""

import re
import subprocess
from decimal import Decimal as D
from pathlib import Path

from config.money import kobo_text, naira, naira_sms, to_kobo

ROOT = Path(__file__).resolve().parents[2]
MONEY_MODULE = Path("config/money.py")

PYTHON_RULES = {
    "quantize(": re.compile(r"\.quantize\("),
    "ROUND_HALF_EVEN": re.compile(r"ROUND_HALF_EVEN"),
    # an f-string (or a format string) writing the currency by hand
    "₦{ in a string": re.compile(r"₦\{"),
    "NGN { in a string": re.compile(r"NGN \{"),
    # a hand-made two-place or grouped number: kobo_text() for machines, naira() for people
    "format spec .2f": re.compile(r"\{[^{}]*:,?\.2f\}|%\.2f|:,\.2f"),
}
# A template writes an amount with the `naira` filter, never "₦{{ value }}".
TEMPLATE_RULES = {
    "₦{{ in a template": re.compile(r"₦\s*\{\{"),
    "₦{% in a template": re.compile(r"₦\s*\{%"),
    "NGN {{ in a template": re.compile(r"NGN\s*\{\{"),
    # humanize's grouping and Django's rounding write ₦15,000.00 or round half-even
    "intcomma": re.compile(r"\|\s*intcomma"),
    "stringformat": re.compile(r"\|\s*stringformat"),
    # floatformat is for percentages only ("12.5%"), never an amount
    "floatformat not followed by %": re.compile(r"\|\s*floatformat[^}]*\}\}(?!%)"),
}
# Scripts never format an amount: the server sends it written (`naira`), they only show it.
SCRIPT_RULES = {
    "toFixed": re.compile(r"\.toFixed\("),
    "toLocaleString": re.compile(r"\.toLocaleString\("),
    "Intl.NumberFormat": re.compile(r"Intl\.NumberFormat"),
    "₦ in a script": re.compile(r"₦|\\u20a6", re.I),
}


def _tracked(pattern: str) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", pattern],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [
        Path(name)
        for name in listed
        if not name.startswith("tests/") and "/migrations/" not in name and (ROOT / name).exists()
    ]


def _stray(files: list[Path], rules: dict[str, re.Pattern]) -> list[str]:
    found = []
    for path in files:
        if path == MONEY_MODULE:
            continue
        for number, line in enumerate((ROOT / path).read_text(encoding="utf-8").splitlines(), start=1):
            for name, rule in rules.items():
                if rule.search(line):
                    found.append(f"{path}:{number}: {name}: {line.strip()[:120]}")
    return found


def test_python_code_rounds_and_formats_money_only_through_config_money():
    stray = _stray(_tracked("*.py"), PYTHON_RULES)
    assert not stray, "Use config.money (to_kobo, naira, naira_sms):\n" + "\n".join(stray)


def test_templates_format_money_only_through_the_naira_filter():
    stray = _stray(_tracked("*.html") + _tracked("*.txt"), TEMPLATE_RULES)
    assert not stray, "Use {{ value|naira }} ({% load storefront %}):\n" + "\n".join(stray)


def test_scripts_never_format_money():
    scripts = [path for path in _tracked("*.js") if "vendor/" not in path.as_posix()]
    assert scripts, "no script found: the scan would prove nothing"
    stray = _stray(scripts, SCRIPT_RULES)
    assert not stray, "Send the amount written by the server ({{ value|naira }}):\n" + "\n".join(stray)


def test_the_rules_catch_what_they_are_for():
    # the scanner itself: a stray line in each form is reported with its place
    for line in ["price.quantize(Decimal('0.01'))", "rounding=ROUND_HALF_EVEN", 'f"₦{amount}"', 'f"NGN {x}"']:
        assert any(rule.search(line) for rule in PYTHON_RULES.values()), line
    assert TEMPLATE_RULES["₦{{ in a template"].search("<td>₦{{ order.total }}</td>")
    assert not TEMPLATE_RULES["₦{{ in a template"].search("<td>{{ order.total|naira }}</td>")
    for line in ['f"{price:.2f}"', '"%.2f" % total', 'f"{total:,.2f}"']:
        assert PYTHON_RULES["format spec .2f"].search(line), line
    for line in [
        "<td>₦{% widthratio a 1 1 %}</td>",
        "{{ order.total|intcomma }}",
        '{{ fee|stringformat:".2f" }}',
        "{{ order.total|floatformat:2 }}",
    ]:
        assert any(rule.search(line) for rule in TEMPLATE_RULES.values()), line
    assert not TEMPLATE_RULES["floatformat not followed by %"].search('{{ coupon.value|floatformat:"-2" }}%')
    for line in [
        "amount.toFixed(2)",
        "n.toLocaleString('en-NG')",
        "new Intl.NumberFormat('en-NG')",
        '"₦" + x',
    ]:
        assert any(rule.search(line) for rule in SCRIPT_RULES.values()), line


def test_the_module_rounds_half_up_to_the_kobo_and_writes_naira():
    # half-even would give 0.12, 2.67 and ₦15,000.00 for these: the half-kobo goes up
    assert [to_kobo(value) for value in (D("0.125"), "2.675", D("-0.125"), 7)] == [
        D("0.13"),
        D("2.68"),
        D("-0.13"),
        D("7.00"),
    ]
    assert [naira(D("15000.005")), naira(D("15000")), naira(D("1250000.5")), naira(None)] == [
        "₦15,000.01",
        "₦15,000",
        "₦1,250,000.50",
        "₦0",
    ]
    assert (naira_sms(D("12500.50")), kobo_text(D("0.005"))) == ("NGN 12,500.50", "0.01")
