"""The 2023 public vote as demo data, shaped like its press release (seed 004).

`generate_vote(edition, seed=1)` runs after `seed_reviews` (it needs the 13 confirmed
winners): it configures the ballot (7 Nov – 8 Dec 2023, Moscow time, one section per
direction, one choice per section), writes ≈30 700 verified phone voters with their SMS code
and their votes, and seals the votes into the hash chain. `data.py` holds the figures and
says which come from the press release and which are the demo's; `plan.py` turns them into
voters without the database (deterministic by seed); `run.py` writes them. A ballot that
already has votes is left alone.
"""

from .run import generate_vote

__all__ = ["generate_vote"]
