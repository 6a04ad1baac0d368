"""The 2023 expert evaluation as demo data, made through the real services.

`generate_reviews(edition, seed=1)` runs after `seed_demo` and `seed_intake`:

1. the 13 winners of 2023 (`winners_2023.json`: five named in seed 004, eight stand-ins)
   are registered, filled, submitted and admitted like any intake application, on a clock
   set inside the 2023 intake, unless they are there already;
2. ≈100 demo experts (`expertNNN@demo-review.smartdialog.ru`) and the demo expert account
   are invited into one direction's nominations each and accept; K = 3;
3. `services.run_assignment` assigns on 3 July 2023; every assignment gets a submitted review
   (July–October) with scores drawn around a quality per application (the winners' highest
   in their nominations) and an expert's strictness;
4. 3–5 finalists per nomination from the live ranking, one working group per direction, a
   decision per nomination on 1–3 November 2023 with its protocol PDF, confirmed by the
   demo organiser, so `decisions.winners` lists 13 winners from 11 regions.

As in the intake generator, `django.utils.timezone.now` follows the story's clock and no
mail is queued (the notices of `submissions.services` and the invitations of
`reviews.pool`). Everything happens in one transaction; all randomness comes from
`random.Random(seed)`. An edition whose nominations all have confirmed decisions is left
alone, and every step skips what is already there.
"""

from .run import generate_reviews

__all__ = ["generate_reviews"]
