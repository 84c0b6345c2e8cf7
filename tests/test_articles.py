import pytest

from helpcenter.content.articles import load_articles, split_sections
from helpcenter.content.errors import ContentError


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


GOOD = "---\ntitle: Hello\ncategory: account\n---\nOne line body.\n"


def test_loads_title_and_one_line_body(tmp_path):
    write(tmp_path, "en/hello.md", GOOD)
    report = load_articles(tmp_path)
    (a,) = report.articles
    assert (a.slug, a.lang, a.title, a.category) == ("hello", "en", "Hello", "account")
    assert a.sections[0].text == "One line body."
    assert report.counts() == {"en": 1, "ko": 0, "fa": 0}


@pytest.mark.parametrize("rel, text, rule", [
    ("en/x.md", "no front matter here", "YAML front matter"),
    ("en/x.md", "---\ncategory: a\n---\nbody", "'title'"),
    ("en/x.md", "---\ntitle: T\n---\nbody", "'category'"),
    ("en/x.md", "---\ntitle: [unclosed\ncategory: a\n---\nbody", "not valid YAML"),
    ("en/x.md", "---\n- a list\n---\nbody", "mapping"),
    ("en/x.md", "---\ntitle: T\ncategory: a\ntags: notalist\n---\nbody", "'tags' must be a list"),
    ("en/x.md", "---\ntitle: T\ncategory: a\nupdated: yesterday\n---\nbody", "ISO date"),
    ("en/x.md", "---\ntitle: T\ncategory: a\n---\n   \n", "body must not be empty"),
    ("en/Bad_Slug.md", GOOD, "slug 'Bad_Slug'"),
    ("de/x.md", GOOD, "language directory 'de'"),
])
def test_errors_name_the_file_and_the_rule(tmp_path, rel, text, rule):
    path = write(tmp_path, rel, text)
    with pytest.raises(ContentError) as info:
        load_articles(tmp_path)
    assert str(path) in str(info.value)
    assert rule in str(info.value)


def test_skip_invalid_reports_and_keeps_the_rest(tmp_path):
    write(tmp_path, "en/good.md", GOOD)
    write(tmp_path, "ko/broken.md", "---\ntitle: x\n---\nbody")
    report = load_articles(tmp_path, skip_invalid=True)
    assert [a.slug for a in report.articles] == ["good"]
    assert len(report.skipped) == 1 and "broken.md" in str(report.skipped[0])


def test_non_utf8_file_is_a_content_error(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "x.md").write_bytes(b"---\ntitle: \xff\n---\n")
    with pytest.raises(ContentError, match="UTF-8"):
        load_articles(tmp_path)


def test_sections_split_at_h2_with_stable_unicode_anchors():
    body = "Intro text.\n\n## 출금 처리 시간\n\nA\n\n## Fees & limits\n\nB\n\n```\n## not a heading\n```\n"
    secs = split_sections(body)
    assert [s.heading for s in secs] == ["", "출금 처리 시간", "Fees & limits"]
    assert [s.anchor for s in secs] == ["", "출금-처리-시간", "fees-limits"]
    assert "## not a heading" in secs[2].markdown
