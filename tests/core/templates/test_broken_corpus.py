"""Every file in the broken-template corpus gives ONE clear line at the right file:line:column.

Each corpus file starts with ``# expect: LINE:COLUMN: message`` naming the exact error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from edgegui.core.templates import TemplateError, load_template_file
from tests.core.templates.conftest import FIXTURES

CORPUS = sorted((FIXTURES / "broken").glob("*.yaml"))


def test_the_corpus_covers_the_issue_s_kinds_of_breakage() -> None:
    names = {path.stem for path in CORPUS}
    for kind in (
        "duplicate-key",
        "unknown-service-field",
        "parameter-wrong-type-default",
        "parameter-default-out-of-range",
        "parameter-injection-default",
        "placeholder-unknown",
        "privileged-without-waiver",
        "yaml-tab",
    ):
        assert kind in names
    assert len(CORPUS) >= 50


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_broken_template_gives_one_located_line(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line.startswith("# expect: "), f"{path.name} lacks its '# expect:' line"
    expected = f"{path}:{first_line.removeprefix('# expect: ')}"
    with pytest.raises(TemplateError) as caught:
        load_template_file(path)
    assert str(caught.value) == expected
    assert "\n" not in str(caught.value)
