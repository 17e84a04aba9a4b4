from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.utils.translation import ngettext

from accounts.models import OtpVerification, RefreshToken, User, UserSettings
from accounts.services import user_set_active
from config.admin import ReadOnlyAdmin

# Staff access is decided by users.role, not Django groups or permissions, so groups would mislead.
admin.site.unregister(Group)


class UserSettingsInline(admin.StackedInline):
    model = UserSettings
    can_delete = False
    readonly_fields = ["created_at", "updated_at"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """People on the platform. There are no Django groups or permissions: `role` decides.

    Accounts are not deleted here (their stores' orders point at them): staff deactivate them,
    and merchants delete their own from the dashboard, which clears their personal data.
    """

    list_display = [
        "email",
        "full_name",
        "phone",
        "role",
        "email_verified",
        "phone_verified",
        "is_active",
        "created_at",
    ]
    list_filter = [
        "role",
        "is_active",
        "email_verified",
        "phone_verified",
        "has_completed_onboarding",
        "created_at",
    ]
    search_fields = ["email", "full_name", "phone"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    inlines = [UserSettingsInline]
    actions = ["deactivate", "reactivate"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "phone", "avatar_url", "role"]}),
        ("Status", {"fields": ["is_active", "email_verified", "phone_verified", "has_completed_onboarding"]}),
        ("Security", {"fields": ["password_hash", "last_login", "created_at", "updated_at", "deleted_at"]}),
    ]
    readonly_fields = ["password_hash", "last_login", "created_at", "updated_at", "deleted_at"]

    @admin.display(description="Password hash (bcrypt)")
    def password_hash(self, user):
        return user.password

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Who is staff is decided by role, so only a super admin may change it.
        if not request.user.is_superuser:
            fields.append("role")
        return fields

    def has_add_permission(self, request):
        # Merchants sign up themselves; staff accounts come from `manage.py create_admin`.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Deactivate selected accounts (they are signed out everywhere)")
    def deactivate(self, request, queryset):
        users = list(queryset.exclude(pk=request.user.pk))
        for user in users:
            user_set_active(user=user, active=False)
        self.message_user(
            request, ngettext("%d account deactivated.", "%d accounts deactivated.", len(users)) % len(users)
        )

    @admin.action(description="Reactivate selected accounts")
    def reactivate(self, request, queryset):
        users = list(queryset.filter(deleted_at__isnull=True))
        for user in users:
            user_set_active(user=user, active=True)
        skipped = queryset.count() - len(users)
        self.message_user(
            request, ngettext("%d account reactivated.", "%d accounts reactivated.", len(users)) % len(users)
        )
        if skipped:
            self.message_user(request, f"{skipped} deleted accounts cannot be reactivated.", messages.WARNING)


@admin.register(OtpVerification)
class OtpVerificationAdmin(ReadOnlyAdmin):
    # The code itself is not shown: staff never need it, and a code on screen can be read out.
    list_display = ["type", "email", "phone", "verified", "expires_at", "created_at"]
    list_filter = ["type", "verified", "created_at"]
    search_fields = ["email", "phone"]
    fields = ["type", "email", "phone", "verified", "expires_at", "created_at"]


@admin.register(RefreshToken)
class RefreshTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "revoked", "revoked_at", "expires_at", "created_at"]
    list_filter = ["revoked", "created_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    fields = ["user", "revoked", "revoked_at", "expires_at", "created_at"]
