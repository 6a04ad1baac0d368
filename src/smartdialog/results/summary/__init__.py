"""The generated summary of the vote, in the manner of the organisers' press release (seed 004).

`numbers_for(edition)` gathers every figure the text uses into plain JSON (kept with a press
text, so a published text links to what it was written from); `generate(numbers)` writes
the Russian text from them alone, deterministically. The figures come from
`results.figures` (votes as counted, regions as stored when cast) and the intake analytics.

The rules the text states:
- multiple: the leader's counted votes ÷ the mean counted votes of the other practices of
  its section (`figures.rank`); for its top regions, the leader's votes from them ÷ the mean
  votes of the other practices from the same regions;
- top regions of a practice: the BREAKDOWN_REGIONS regions that gave it most votes, each
  with at least BREAKDOWN_MIN_VOTES;
- unusual interest: a region (not the practice's own) whose share of its section votes going
  to the practice is at least UNUSUAL_LIFT times the practice's share of all the section's
  votes, from at least UNUSUAL_MIN_VOTES votes;
- a close second: at least CLOSE_SECOND of the leader's votes; the leader and a close second
  «вызвали интерес» in the federal districts (the two capitals apart) that are among the
  DISTRICT_SOURCES biggest sources of votes of both;
- regions of a breakdown whose counts share their first digit and differ by less than
  GROUP_SPREAD are given one figure, rounded down to that digit;
- most active regions: the ACTIVE_REGIONS regions with most distinct voters.
"""

from .numbers import numbers_for
from .text import generate

__all__ = ["generate", "numbers_for"]
