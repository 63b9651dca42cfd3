"""Metrics computed by hand, and gold lines parsed."""
import pytest

from assistant.evaluation import metrics as M


def test_metrics_hand_computed():
    assert M.supports("It has “six Aegis destroyers”.", ['six Aegis destroyers'])
    assert not M.supports("short", ["a much longer evidence string that holds short"])   # < 25 chars
    assert M.supports("a quote of twenty-five chars", ["in a quote of twenty-five chars, yes"])
    assert M.answer_contains("About 28,500", ["28,500"])
    assert M.exact_match("The Yoshihide Suga.", ["Yoshihide Suga"]) == 1.0
    assert abs(M.token_f1("Suga said", ["Yoshihide Suga"]) - 0.5) < 1e-9
    assert M.reciprocal_rank([False, True]) == 0.5


def test_gold_whole_article_kinds_parse():
    from assistant.evaluation.gold import GoldFormatError, parse_gold_line

    item = parse_gold_line('{"id": "x", "kind": "summary", "question": "Summarise", "evidence": ["a"]}', "l1")
    assert item.as_turns()[0].kind == "summary" and item.answers == []
    conv = parse_gold_line('{"id": "c", "kind": "conversation", "turns": [{"question": "Who?", "answers": ["A"], '
                           '"evidence": ["A b"]}, {"question": "Tell me more", "kind": "more"}]}', "l2")
    assert [t.kind for t in conv.turns] == ["factual", "more"]
    with pytest.raises(GoldFormatError):
        parse_gold_line('{"id": "c", "kind": "conversation", "turns": [{"question": "Who?", "answers": ["A"], '
                        '"evidence": ["A b"]}, {"question": "x", "kind": "poem"}]}', "l3")
