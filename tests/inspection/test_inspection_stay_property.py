"""The stay calculator agrees with counting days one by one, for any stays and window."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from checkpoint.inspection.stay import Stay, days_in_window

DAY0 = date(2026, 1, 1)


@st.composite
def stays(draw: st.DrawFn) -> Stay:
    first = DAY0 + timedelta(days=draw(st.integers(0, 400)))
    return Stay(first, first + timedelta(days=draw(st.integers(0, 120))))


@given(st.lists(stays(), max_size=12), st.integers(0, 600), st.integers(1, 365))
def test_days_in_window_equals_counting_each_day(periods, end_offset, window):
    end = DAY0 + timedelta(days=end_offset)
    start = end - timedelta(days=window - 1)
    expected = {
        stay.first_day + timedelta(days=k)
        for stay in periods
        for k in range((stay.last_day - stay.first_day).days + 1)
        if start <= stay.first_day + timedelta(days=k) <= end
    }
    assert days_in_window(periods, end, window) == len(expected)
