"""`bioplan manage user_create NAME --role office_admin --region 青浦区`: an account for the office.

The operator creates the first office admin of each district this way (not with `createsuperuser`,
which makes an account that reaches every district and the Django admin); the office admin then
adds its liaisons in the web pages. The password is read from the terminal, or from standard input
with `--password-stdin` (scripts)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bioplan.core.choices import Role
from bioplan.core.models import Department, Region
from bioplan.core.services import user_create


class Command(BaseCommand):
    help = "Create an ordinary user account (office admin, liaison, park operator, leader, researcher)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--region", required=True, help="region name, e.g. 青浦区 (上海市 for city-wide)")
        parser.add_argument("--department", help="department name in that region (required for liaisons)")
        parser.add_argument("--name", default="", help="display name")
        parser.add_argument("--email", default="")
        parser.add_argument("--password-stdin", action="store_true", help="read the password from stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(name=options["region"]).first()
        if region is None:
            raise CommandError(f"没有名为“{options['region']}”的区域（先导入该区的方案或在后台添加区域）。")
        department = None
        if options["department"]:
            department = Department.objects.filter(region=region, name=options["department"]).first()
            if department is None:
                raise CommandError(f"{region.name}没有名为“{options['department']}”的部门。")
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("密码 password: ")
            if getpass.getpass("再次输入 again: ") != password:
                raise CommandError("两次输入的密码不一致。")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + " ".join(exc.messages)) from exc
        try:
            account = user_create(
                username=options["username"],
                password=password,
                role=options["role"],
                region=region,
                department=department,
                first_name=options["name"],
                email=options["email"],
                user=None,
            )
        except ValidationError as exc:
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise CommandError(f"无法创建用户：{messages}") from exc
        self.stdout.write(f"已创建用户 {account.username}（{account.get_role_display()}，{region.name}）")
