"""Matches are marked, and nothing a person wrote can inject HTML."""

from conet.search.fulltext import query_terms
from conet.search.highlight import highlight, snippet


def test_matched_words_are_marked_whatever_their_case_and_accents():
    html = highlight("Participatory budgeting in Gijón", query_terms("participation gijon"))
    assert str(html) == "<mark>Participatory</mark> budgeting in <mark>Gijón</mark>"


def test_html_in_the_text_is_escaped_and_only_our_marks_remain():
    text = '<script>alert("x")</script> <img src=x onerror=alert(1)> budget & more'
    html = str(highlight(text, query_terms("budget script")))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;<mark>script</mark>&gt;" in html
    assert "<mark>budget</mark> &amp; more" in html


def test_a_query_with_html_cannot_inject_it_either():
    html = str(highlight("a <b>bold</b> claim", query_terms("<b>bold</b>")))
    assert html == "a &lt;b&gt;<mark>bold</mark>&lt;/b&gt; claim"


def test_the_snippet_is_taken_around_the_first_match_in_summary_then_body():
    body = " ".join(f"word{i}" for i in range(100)) + " homeless shelter " + "tail " * 50
    html = str(snippet(["A short summary", body], query_terms("homeless"), words=20))
    assert html.startswith("… ")
    assert "<mark>homeless</mark>" in html
    assert html.endswith(" …")


def test_without_a_match_the_snippet_is_the_beginning_of_the_summary():
    html = str(snippet(["First words of the summary <here>", "body"], ["zzzz"], words=4))
    assert html == "First words of the …"
    assert str(snippet(["", ""], ["x"])) == ""
