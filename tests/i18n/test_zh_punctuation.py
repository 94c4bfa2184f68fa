"""Chinese interface texts use full-width punctuation around Chinese words: （未知）, not
(未知); “第1.1版”, “：”, “，”.  A parenthesis that holds a Latin letter or a placeholder, such as
a paragraph's subdivision "第122段(a)至(i)项" or an area's code "(%(area)s)", stays as the UN's
Chinese documents write it, and so do formulas' Latin parts and placeholders."""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.mofile import read_mo

CATALOGUE = Path(__file__).resolve().parents[2] / "app/translations/zh/LC_MESSAGES/messages.mo"
HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]"    # ideographs, CJK and full-width punctuation
#: An ASCII parenthesis against the Chinese text it holds, or ASCII , : ; ? ! beside Chinese.
ASCII_IN_CHINESE = re.compile(rf"\({HAN}|{HAN}\)|{HAN}[,:;?!]|[,:;?!]{HAN}")


def offending(text: str) -> list[str]:
    return [text[max(0, m.start() - 8):m.end() + 8] for m in ASCII_IN_CHINESE.finditer(text)]


def test_the_rule_sees_ascii_punctuation_in_chinese_and_leaves_codes_alone():
    assert offending("答复(未知)") and offending("问卷(第1.1版)") and offending("未知选项:%(codes)s")
    assert offending("领域,层级")
    assert not offending("第122段(a)至(i)项") and not offending("%(key)s（属于(%(area)s)领域）")
    assert not offending("未知（%(why)s）") and not offending("A/68/275, para. 17")


def test_the_chinese_catalogue_uses_full_width_punctuation_in_chinese_text():
    with CATALOGUE.open("rb") as f:
        catalogue = read_mo(f)
    found = {}
    for message in catalogue:
        if not message.id:
            continue
        texts = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        for text in texts:
            if bad := offending(text or ""):
                found[str(message.id)[:60]] = bad
    assert not found, found
