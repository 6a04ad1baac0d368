import pytest

from smartdialog.notifications.defaults import SAMPLE_CONTEXT
from smartdialog.notifications.services import enqueue


@pytest.fixture
def queue_message(edition):
    """Enqueue a `submission.returned` notice filed under the test edition."""

    def build(to="applicant@example.ru", **context):
        return enqueue("submission.returned", to, {**SAMPLE_CONTEXT, **context}, related=edition)

    return build
