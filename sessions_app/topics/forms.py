from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from cohort_site.core.dates import DAY_TIME, local_text
from cohort_site.core.forms import FreeTextMixin

from ..models import GroupTopic, Session


class TopicProposeForm(FreeTextMixin, forms.Form):
    title = forms.CharField(
        label="Topic",
        max_length=200,
        help_text="A few words, for example “Keeping volunteers after the pandemic”.",
        error_messages={"required": "Give the topic a title."},
    )
    description = forms.CharField(
        label="What you would like to talk about (optional)",
        required=False,
        max_length=GroupTopic._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: GroupTopic) -> str:
        return obj.title


class SessionChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, tz, **kwargs):
        self.tz = tz
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Session) -> str:
        label = f"Session {obj.number}, {local_text(obj.starts_at, self.tz, DAY_TIME)}"
        return f"{label} (now: {obj.topic})" if obj.topic else label


class TopicMergeSuggestForm(forms.Form):
    into = TopicChoiceField(
        queryset=GroupTopic.objects.none(),
        label="Is the same as",
        empty_label="Choose a topic",
        error_messages={
            "required": "Choose the topic it is the same as.",
            "invalid_choice": "Choose one of the group's topics from the list.",
        },
    )

    def __init__(self, *args, topics: QuerySet[GroupTopic], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = topics


class TopicMergeForm(forms.Form):
    topic = TopicChoiceField(
        queryset=GroupTopic.objects.none(),
        label="Merge this topic",
        empty_label="Choose a topic",
        error_messages={
            "required": "Choose the topic to merge.",
            "invalid_choice": "Choose one of the group's topics from the list.",
        },
    )
    into = TopicChoiceField(
        queryset=GroupTopic.objects.none(),
        label="into",
        empty_label="Choose the topic to keep",
        error_messages={
            "required": "Choose the topic to keep.",
            "invalid_choice": "Choose one of the group's topics from the list.",
        },
    )

    def __init__(self, *args, topics: QuerySet[GroupTopic], listed: list[GroupTopic] | None = None, **kwargs):
        """`listed`: the same topics already read for the page, so the two menus cost no more queries."""
        super().__init__(*args, **kwargs)
        for name in ("topic", "into"):
            field = self.fields[name]
            field.queryset = topics
            if listed is not None:
                field.choices = [("", field.empty_label), *((topic.pk, topic.title) for topic in listed)]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("topic") is not None and cleaned.get("topic") == cleaned.get("into"):
            self.add_error("into", "Choose another topic to keep than the one you merge.")
        return cleaned


class TopicAssignForm(forms.Form):
    session = SessionChoiceField(
        queryset=Session.objects.none(),
        label="Session",
        empty_label="Choose a session",
        tz=None,
        error_messages={
            "required": "Choose the session.",
            "invalid_choice": "Choose one of the group's sessions still to come.",
        },
    )

    def __init__(self, *args, sessions: QuerySet[Session], tz, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].tz = tz
