"""Forms of the office's user management: a new account, an account's details, a new password."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bioplan.core.models import Department, Region, User
from bioplan.web.forms import RecordForm, RecordModelForm, SearchableSelect


class AccountForm(RecordModelForm):
    """An account's details. Regions and departments limited to the office's reach."""

    class Meta:
        model = User
        fields = ["first_name", "email", "role", "region", "department", "is_active"]
        widgets = {"department": SearchableSelect, "region": SearchableSelect}
        labels = {"first_name": _("Full name"), "is_active": _("May sign in")}
        help_texts = {
            "department": _("Required for a liaison and a park operator: the department it reports for."),
            "is_active": _("Untick to deactivate the account (it can be ticked again)."),
        }

    def __init__(
        self, *args: Any, regions: QuerySet[Region], departments: QuerySet[Department], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["region"].required = True
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["region"].disabled = True  # an account stays in its region

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") in ("liaison", "park_operator") and not data.get("department"):
            self.add_error("department", _("A liaison or park operator needs its department."))
        return data


class NewAccountForm(AccountForm):
    username = forms.CharField(label=_("User name"), max_length=150, help_text=_("Used to sign in."))
    password = forms.CharField(label=_("First password"), widget=forms.PasswordInput, help_text="")

    class Meta(AccountForm.Meta):
        fields = ["username", "first_name", "email", "role", "region", "department"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_validators_help_text_html()
        self.order_fields(["username", "password"])

    def validate_unique(self) -> None:
        """user_create checks the name (full_clean) and says so on the username field."""

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password") or ""
        validate_password(password, User(username=self.data.get("username", "")))
        return password


class PasswordForm(RecordForm):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_validators_help_text_html()


class DepartmentForm(RecordModelForm):
    class Meta:
        model = Department
        fields = ["short_name", "kind", "contact_name", "contact_phone", "contact_email", "leader_in_charge"]
