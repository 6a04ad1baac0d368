"""The expert's forms: a score and a comment per criterion, and a conflict declaration.

The scale and the mandatory comments are checked by `services.save_review`; the form only
parses what was typed and puts the service's messages next to the fields they name.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def score_key(criterion) -> str:
    return f"score_{criterion.pk}"


def comment_key(criterion) -> str:
    return f"comment_{criterion.pk}"


class ReviewForm(forms.Form):
    """One score and one comment per criterion of the edition, plus an overall comment."""

    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, criteria, review=None, read_only=False, **kwargs):
        self.criteria = list(criteria)
        if review is not None and not kwargs.get("initial"):
            kwargs["initial"] = self.initial_from(review)
        super().__init__(*args, **kwargs)
        fields = {}
        for criterion in self.criteria:
            fields[score_key(criterion)] = forms.IntegerField(
                label=_("Score"),
                required=False,
                error_messages={
                    "invalid": _("Enter a whole number from %(low)s to %(high)s.")
                    % {"low": criterion.scale_min, "high": criterion.scale_max}
                },
                widget=forms.NumberInput(
                    attrs={
                        "min": criterion.scale_min,
                        "max": criterion.scale_max,
                        "step": 1,
                        "class": "score",
                    }
                ),
            )
            fields[comment_key(criterion)] = forms.CharField(
                label=_("Comment"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        fields["comment"] = self.fields.pop("comment")
        self.fields = fields
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    @staticmethod
    def initial_from(review) -> dict:
        initial = {"comment": review.comment}
        for score in review.scores.all():
            initial[f"score_{score.criterion_id}"] = score.value
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial

    def rows(self) -> list[tuple]:
        """(criterion, score field, comment field) in the criteria's order."""
        return [(c, self[score_key(c)], self[comment_key(c)]) for c in self.criteria]

    def values(self) -> dict:
        """criterion id → (score or None, comment), as `services.save_review` takes them."""
        data = self.cleaned_data
        return {
            c.pk: (data.get(score_key(c)), data.get(comment_key(c)) or "") for c in self.criteria
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Put each message next to the field it names; the rest above the form."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for key, errors in error.error_dict.items():
            self.add_error(key if key in self.fields else None, errors)


class ConflictForm(forms.Form):
    comment = forms.CharField(
        label=_("What connects you with this application"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
