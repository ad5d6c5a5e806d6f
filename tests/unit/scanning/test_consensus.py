"""The consensus validator: repeated reads before acceptance, a cool-down after it."""

from __future__ import annotations

import pytest

from pos.domain.errors import InvalidValue
from pos.hardware.scanning.consensus import ConsensusValidator


def test_accepts_only_after_the_required_identical_reads() -> None:
    validator = ConsensusValidator(required_reads=3, window_s=1.0, cooldown_s=2.0)
    assert validator.offer(["123456"], 0.0) == []
    assert validator.offer(["123456"], 0.1) == []
    assert validator.offer(["123456"], 0.2) == ["123456"]


def test_reads_outside_the_window_do_not_count() -> None:
    validator = ConsensusValidator(required_reads=2, window_s=0.5, cooldown_s=1.0)
    assert validator.offer(["123456"], 0.0) == []
    assert validator.offer(["123456"], 0.8) == []  # the first read has expired
    assert validator.offer(["123456"], 1.0) == ["123456"]


def test_a_single_misread_among_good_reads_is_never_accepted() -> None:
    validator = ConsensusValidator(required_reads=2, window_s=1.0, cooldown_s=1.0)
    accepted = []
    for i, text in enumerate(["123456", "123458", "123456", "123456"]):
        accepted += validator.offer([text], i * 0.1)
    assert accepted == ["123456"]


def test_two_symbols_in_one_frame_count_once_each() -> None:
    validator = ConsensusValidator(required_reads=2, window_s=1.0, cooldown_s=1.0)
    assert validator.offer(["111111", "111111", "222222"], 0.0) == []
    assert validator.offer(["222222", "111111"], 0.1) == ["222222", "111111"]


def test_code_held_in_view_is_accepted_once() -> None:
    validator = ConsensusValidator(required_reads=2, window_s=1.0, cooldown_s=1.0)
    accepted = [text for i in range(100) for text in validator.offer(["123456"], i * 0.1)]
    assert accepted == ["123456"]


def test_code_accepted_again_after_it_left_view_for_the_cooldown() -> None:
    validator = ConsensusValidator(required_reads=2, window_s=1.0, cooldown_s=1.0)
    validator.offer(["123456"], 0.0)
    assert validator.offer(["123456"], 0.1) == ["123456"]
    assert validator.is_cooling("123456", 0.5)
    assert validator.offer(["123456"], 0.9) == []  # still cooling: extends the cool-down to 1.9
    assert validator.offer([], 1.5) == []
    assert validator.is_cooling("123456", 1.8)
    assert not validator.is_cooling("123456", 2.0)
    assert validator.offer(["123456"], 2.0) == []
    assert validator.offer(["123456"], 2.1) == ["123456"]


def test_cooldown_does_not_block_another_code() -> None:
    validator = ConsensusValidator(required_reads=1, window_s=1.0, cooldown_s=5.0)
    assert validator.offer(["111111"], 0.0) == ["111111"]
    assert validator.offer(["222222"], 0.1) == ["222222"]


def test_reset_forgets_reads_and_cooldowns() -> None:
    validator = ConsensusValidator(required_reads=1, window_s=1.0, cooldown_s=5.0)
    assert validator.offer(["111111"], 0.0) == ["111111"]
    validator.reset()
    assert validator.offer(["111111"], 0.1) == ["111111"]


@pytest.mark.parametrize(("reads", "window", "cooldown"), [(0, 1.0, 1.0), (2, 0.0, 1.0), (2, 1.0, -1.0)])
def test_bad_settings_are_refused(reads: int, window: float, cooldown: float) -> None:
    with pytest.raises(InvalidValue):
        ConsensusValidator(reads, window, cooldown)
