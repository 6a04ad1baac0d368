"""A realistic intake of the 2023 edition, generated through the real services.

`generate_intake(edition, size=600, seed=1)` registers applicant organisations (one demo
member each), creates and fills passports, submits them, and lets the demo moderator take,
admit, reject or return them; returned ones are revised and resubmitted. Every change goes
through `organizations.services` and `submissions.services`, so versions, transitions,
moderation comments and audit entries are the ones the site would have written.

How it stays faithful and fast:

* **The clock.** The 2023 intake is in the past and the services refuse a submission outside
  the intake window, so `django.utils.timezone.now` is patched with a clock that the
  generator moves from event to event: every application's steps are planned first (a daily
  curve with more submissions near the planned and the actual deadline, fewer at weekends and
  on the May holidays; moderators at work on weekdays), then all steps of all applications
  run in time order. `created_at`, `submitted_at`, transition and audit times are therefore
  those of the story. The real clock is restored on exit.
* **No mail.** Every transition queues a notice to the organisation. The demo is history and
  nobody should get mail for it, so `smartdialog.submissions.services.enqueue` is replaced by
  a no-op while generating: no `OutboundMessage` rows, no Celery tasks. Nothing else changes.
* **One password hash.** Demo members are created by `accounts.demo.ensure_user` with
  `DEMO_PASSWORD`; the hasher runs once and its result is reused for every member (same salt),
  instead of ~0.4 s of PBKDF2 per user.
* **One transaction**, so an error leaves nothing half-made.

Generated organisations are recognisable: their contact and member e-mails are in
`@demo-intake.smartdialog.ru` and INN serial numbers start with 9. An edition that already
has applications from such organisations is left alone (idempotent). All randomness comes from
`random.Random(seed)` and is drawn before anything is written, so one seed gives one intake.
"""

from .run import generate_intake, generated

__all__ = ["generate_intake", "generated"]
