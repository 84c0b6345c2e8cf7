"""Every declared setting is documented in the README (datasette's test_docs pattern)."""
from pathlib import Path

import pytest

from helpcenter.content.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_setting_is_in_readme(setting):
    assert f"`{setting.name}`" in README
