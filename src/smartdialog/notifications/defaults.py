"""Built-in subject and body of every message, in Russian and English.

They live in code, next to the callers that pass their context, so a new variable and the
text that uses it are reviewed and shipped together. An edition may override any of them
(`MailTemplate`); the texts are Django templates rendered without HTML escaping.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

LANGUAGES = ("ru", "en")

SIGNATURE = {
    "ru": "С уважением,\nКоманда конкурса «Смарт Диалог»",
    "en": "Kind regards,\nThe “Smart Dialog” contest team",
}

SUBMISSION_VARIABLES = (
    "submission_title",
    "submission_number",
    "organization",
    "nomination",
    "edition",
    "state_label",
    "comment",
    "url",
)


@dataclass(frozen=True)
class MailDefault:
    title: str
    variables: tuple[str, ...]
    subject: dict[str, str]
    body: dict[str, str]


def _submission_notice(title, variables, subject_ru, subject_en, lead_ru, lead_en):
    """A submission state notice: the lead sentence, the submission's details, the link."""
    details = {
        "ru": (
            "Заявка: «{{ submission_title }}» (№ {{ submission_number }})\n"
            "Организация: {{ organization }}\n"
            "Номинация: {{ nomination }}\n"
            "Конкурс: {{ edition }}\n"
            "Статус: {{ state_label }}\n"
            "{% if comment %}\nКомментарий:\n{{ comment }}\n{% endif %}\n"
            "Открыть заявку: {{ url }}"
        ),
        "en": (
            "Submission: “{{ submission_title }}” (No. {{ submission_number }})\n"
            "Organisation: {{ organization }}\n"
            "Nomination: {{ nomination }}\n"
            "Contest: {{ edition }}\n"
            "Status: {{ state_label }}\n"
            "{% if comment %}\nComment:\n{{ comment }}\n{% endif %}\n"
            "Open the submission: {{ url }}"
        ),
    }
    greeting = {"ru": "Здравствуйте!", "en": "Hello,"}
    leads = {"ru": lead_ru, "en": lead_en}
    return MailDefault(
        title=title,
        variables=variables,
        subject={"ru": subject_ru, "en": subject_en},
        body={
            lang: f"{greeting[lang]}\n\n{leads[lang]}\n\n{details[lang]}\n\n{SIGNATURE[lang]}\n"
            for lang in LANGUAGES
        },
    )


DEFAULTS: dict[str, MailDefault] = {
    "submission.submitted": _submission_notice(
        _("Submission received"),
        SUBMISSION_VARIABLES,
        "Заявка № {{ submission_number }} подана",
        "Submission No. {{ submission_number }} received",
        "Ваша заявка на конкурс «{{ edition }}» подана. Мы сообщим, когда начнётся её проверка.",
        "Your submission to “{{ edition }}” has been received. We will let you know when "
        "its review begins.",
    ),
    "submission.in_moderation": _submission_notice(
        _("Submission under moderation"),
        SUBMISSION_VARIABLES,
        "Заявка № {{ submission_number }} на проверке",
        "Submission No. {{ submission_number }} is being checked",
        "Ваша заявка передана модератору на проверку соответствия условиям конкурса.",
        "Your submission has been passed to a moderator, who will check it against the "
        "contest rules.",
    ),
    "submission.returned": _submission_notice(
        _("Submission returned for revision"),
        SUBMISSION_VARIABLES,
        "Заявка № {{ submission_number }} возвращена на доработку",
        "Submission No. {{ submission_number }} returned for revision",
        "Модератор вернул заявку на доработку. Пожалуйста, внесите исправления с учётом "
        "комментария ниже и отправьте заявку повторно.",
        "The moderator has returned your submission for revision. Please make the changes "
        "described in the comment below and submit it again.",
    ),
    "submission.resubmitted": _submission_notice(
        _("Submission resubmitted"),
        SUBMISSION_VARIABLES,
        "Заявка № {{ submission_number }} отправлена повторно",
        "Submission No. {{ submission_number }} resubmitted",
        "Исправленная заявка получена и снова передана на проверку.",
        "Your revised submission has been received and passed for checking again.",
    ),
    "submission.admitted": _submission_notice(
        _("Submission admitted"),
        SUBMISSION_VARIABLES,
        "Заявка № {{ submission_number }} допущена к конкурсу",
        "Submission No. {{ submission_number }} admitted to the contest",
        "Заявка прошла проверку и допущена к участию в конкурсе.",
        "Your submission has passed the check and is admitted to the contest.",
    ),
    "submission.rejected": _submission_notice(
        _("Submission not admitted"),
        SUBMISSION_VARIABLES,
        "Заявка № {{ submission_number }} не допущена к конкурсу",
        "Submission No. {{ submission_number }} not admitted to the contest",
        "К сожалению, заявка не допущена к участию в конкурсе.",
        "We regret that your submission has not been admitted to the contest.",
    ),
    "submission.withdrawn": _submission_notice(
        _("Submission withdrawn"),
        SUBMISSION_VARIABLES,
        "Заявка № {{ submission_number }} отозвана",
        "Submission No. {{ submission_number }} withdrawn",
        "Заявка отозвана. Если это произошло по ошибке, пожалуйста, свяжитесь с организаторами "
        "конкурса.",
        "The submission has been withdrawn. If this is a mistake, please contact the contest "
        "organisers.",
    ),
    "submission.nomination_changed": _submission_notice(
        _("Submission moved to another nomination"),
        (*SUBMISSION_VARIABLES, "old_nomination", "new_nomination"),
        "Номинация заявки № {{ submission_number }} изменена",
        "Nomination of submission No. {{ submission_number }} changed",
        "Заявка перенесена из номинации «{{ old_nomination }}» в номинацию «{{ new_nomination }}».",
        "Your submission has been moved from the nomination “{{ old_nomination }}” to "
        "“{{ new_nomination }}”.",
    ),
    "submission.deadline_reminder": MailDefault(
        title=_("Submission deadline reminder"),
        variables=(
            "submission_title",
            "submission_number",
            "edition",
            "deadline",
            "days_left",
            "url",
        ),
        subject={
            "ru": "Приём заявок завершается {{ deadline }}",
            "en": "Submissions close on {{ deadline }}",
        },
        body={
            "ru": "Здравствуйте!\n\n"
            "Напоминаем, что приём заявок на конкурс «{{ edition }}» завершается {{ deadline }} "
            "(по московскому времени). Осталось дней: {{ days_left }}.\n\n"
            "Пожалуйста, проверьте заявку «{{ submission_title }}» (№ {{ submission_number }}) "
            "и завершите её отправку до окончания срока.\n\n"
            "Открыть заявку: {{ url }}\n\n" + SIGNATURE["ru"] + "\n",
            "en": "Hello,\n\n"
            "This is a reminder that submissions to “{{ edition }}” close on {{ deadline }} "
            "(Moscow time). Days left: {{ days_left }}.\n\n"
            "Please check your submission “{{ submission_title }}” "
            "(No. {{ submission_number }}) and complete it before the deadline.\n\n"
            "Open the submission: {{ url }}\n\n" + SIGNATURE["en"] + "\n",
        },
    ),
    "organization.invitation": MailDefault(
        title=_("Invitation to an organisation"),
        variables=("organization", "invited_by", "url"),
        subject={
            "ru": "Приглашение в организацию: {{ organization }}",
            "en": "Invitation to join {{ organization }}",
        },
        body={
            "ru": "Здравствуйте!\n\n"
            "{{ invited_by }} приглашает вас присоединиться к организации {{ organization }} "
            "на платформе конкурса «Смарт Диалог».\n\n"
            "Чтобы принять приглашение, перейдите по ссылке: {{ url }}\n\n"
            "Если вы не ожидали этого письма, просто оставьте его без ответа.\n\n"
            + SIGNATURE["ru"]
            + "\n",
            "en": "Hello,\n\n"
            "{{ invited_by }} invites you to join {{ organization }} on the “Smart Dialog” "
            "contest platform.\n\n"
            "To accept the invitation, follow this link: {{ url }}\n\n"
            "If you did not expect this message, you can simply ignore it.\n\n"
            + SIGNATURE["en"]
            + "\n",
        },
    ),
    "reviews.expert_invited": MailDefault(
        title=_("Invitation to the expert pool"),
        variables=("edition", "nominations", "invited_by", "url"),
        subject={
            "ru": "Приглашение в экспертный совет: {{ edition }}",
            "en": "Invitation to evaluate: {{ edition }}",
        },
        body={
            "ru": "Здравствуйте!\n\n"
            "{{ invited_by }} приглашает вас оценивать заявки конкурса «{{ edition }}» "
            "в номинациях: {{ nominations }}.\n\n"
            "Принять или отклонить приглашение можно по ссылке: {{ url }}\n\n"
            + SIGNATURE["ru"]
            + "\n",
            "en": "Hello,\n\n"
            "{{ invited_by }} invites you to evaluate applications of “{{ edition }}” in "
            "these nominations: {{ nominations }}.\n\n"
            "Accept or decline the invitation here: {{ url }}\n\n" + SIGNATURE["en"] + "\n",
        },
    ),
}

SAMPLE_CONTEXT = {
    "submission_title": "Цифровая приёмная главы района",
    "submission_number": "2030-0042",
    "organization": "Администрация Энского района",
    "nomination": "1.1. Открытый диалог с жителями",
    "edition": "Смарт Диалог 2030",
    "state_label": "Возвращена на доработку",
    "comment": "Приложите, пожалуйста, отчёт о результатах за 2029 год.",
    "url": "https://smartdialog.example/submissions/42/",
    "old_nomination": "1.1. Открытый диалог с жителями",
    "new_nomination": "1.2. Обратная связь",
    "deadline": "30 июня 2030 г. 23:59",
    "days_left": 3,
    "invited_by": "Анна Иванова",
    "nominations": "1.1, 1.2",
}
