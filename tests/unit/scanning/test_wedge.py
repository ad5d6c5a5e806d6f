"""Keyboard-wedge classifier: a scanner's burst is routed, a person's typing is delivered untouched."""

from __future__ import annotations

from pos.hardware.scanning.wedge import WedgeAction, WedgeClassifier, WedgeDecision


def _type(classifier: WedgeClassifier, text: str, start: float, gap: float) -> list[WedgeDecision]:
    return [classifier.feed_key(char, start + i * gap) for i, char in enumerate(text)]


def _delivered(decisions: list[WedgeDecision], keys: str) -> str:
    """What the focused field would receive: replays first, then the key itself when passed."""
    out = ""
    for decision, key in zip(decisions, keys, strict=True):
        out += decision.replay + (key if decision.action is WedgeAction.PASS else "")
    return out


def test_fast_burst_with_enter_is_a_scan_and_nothing_reaches_the_field() -> None:
    classifier = WedgeClassifier()
    decisions = _type(classifier, "123456\r", start=10.0, gap=0.008)
    assert [d.action for d in decisions[:-1]] == [WedgeAction.CONSUME] * 6
    assert decisions[-1] == WedgeDecision(WedgeAction.SCAN, scanned="123456")
    assert classifier.flush(11.0) == ""
    assert _delivered(decisions, "123456\r") == ""


def test_qr_payload_from_a_2d_wedge_scanner_is_a_scan() -> None:
    classifier = WedgeClassifier()
    decisions = _type(classifier, "SP1:W:P:123456:ABCD\n", start=0.0, gap=0.004)
    assert decisions[-1].action is WedgeAction.SCAN
    assert decisions[-1].scanned == "SP1:W:P:123456:ABCD"


def test_slow_typist_digits_are_delivered_in_order() -> None:
    classifier = WedgeClassifier()
    keys = "123456\r"
    delivered = ""
    for i, key in enumerate(keys):
        t = i * 0.18
        delivered += classifier.flush(t)  # the UI timer runs between key presses
        decision = classifier.feed_key(key, t)
        assert decision.action is not WedgeAction.SCAN
        delivered += decision.replay + (key if decision.action is WedgeAction.PASS else "")
    delivered += classifier.flush(10.0)
    assert delivered == keys


def test_slow_typist_without_a_timer_still_gets_every_key() -> None:
    classifier = WedgeClassifier()
    decisions = _type(classifier, "123456\r", start=0.0, gap=0.15)
    assert all(d.action is not WedgeAction.SCAN for d in decisions)
    assert _delivered(decisions, "123456\r") + classifier.flush(99.0) == "123456\r"


def test_short_fast_burst_is_typing() -> None:
    classifier = WedgeClassifier()
    decisions = _type(classifier, "12345\r", start=0.0, gap=0.005)
    assert decisions[-1].action is WedgeAction.PASS
    assert _delivered(decisions, "12345\r") == "12345\r"


def test_burst_broken_by_one_slow_gap_is_not_a_scan() -> None:
    classifier = WedgeClassifier(max_gap_s=0.04)
    decisions = _type(classifier, "123", 0.0, 0.01) + _type(classifier, "456\r", 0.2, 0.01)
    assert all(d.action is not WedgeAction.SCAN for d in decisions)
    assert _delivered(decisions, "123456\r") == "123456\r"


def test_enter_long_after_the_burst_is_not_a_scan() -> None:
    classifier = WedgeClassifier(max_gap_s=0.04)
    decisions = _type(classifier, "123456", 0.0, 0.01)
    decisions.append(classifier.feed_key("\r", 1.0))
    assert decisions[-1].action is WedgeAction.PASS
    assert _delivered(decisions, "123456\r") == "123456\r"


def test_non_printable_or_space_key_releases_the_held_keys() -> None:
    classifier = WedgeClassifier()
    decisions = _type(classifier, "12 ", 0.0, 0.005)
    assert decisions[-1] == WedgeDecision(WedgeAction.PASS, replay="12")
    assert not classifier.holding


def test_two_scans_back_to_back() -> None:
    classifier = WedgeClassifier()
    first = _type(classifier, "111111\r", 0.0, 0.005)
    second = _type(classifier, "222222\r", 0.05, 0.005)
    assert (first[-1].scanned, second[-1].scanned) == ("111111", "222222")
