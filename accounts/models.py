from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models

from accounts.passwords import hash_password, needs_rehash, verify_password
from config.db import (
    CurrentTimestamp,
    EnumField,
    SeedIndex,
    TimestampField,
    uuid_primary_key,
)


class Role(models.TextChoices):
    USER = "user", "Merchant"
    ADMIN = "admin", "Admin"
    SUPER_ADMIN = "super_admin", "Super admin"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("role", Role.SUPER_ADMIN)
        fields.setdefault("full_name", "Administrator")
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser):
    """A person on the platform, on the seed's `users` table.

    Staff status comes from `role` (admin and super_admin are staff, super_admin is
    superuser): the seed has no is_staff/is_superuser columns, and the other backends
    decide access by role.
    """

    id = uuid_primary_key()
    email = models.CharField(max_length=255, unique=True)
    password = models.CharField(max_length=255, db_column="password_hash")
    full_name = models.CharField(max_length=255)
    phone = models.CharField(max_length=20, unique=True, null=True, blank=True)
    avatar_url = models.CharField(max_length=500, null=True, blank=True)
    role = EnumField(choices=Role.choices, null=True, default=Role.USER, db_default=Role.USER)
    email_verified = models.BooleanField(null=True, default=False, db_default=False)
    phone_verified = models.BooleanField(null=True, default=False, db_default=False)
    is_active = models.BooleanField(null=True, default=True, db_default=True)  # type: ignore[assignment]  # nullable in the seed
    has_completed_onboarding = models.BooleanField(null=True, default=False, db_default=False)
    last_login = TimestampField(null=True, blank=True, db_column="last_login_at")
    created_at = TimestampField(null=True, auto_now_add=True, db_default=CurrentTimestamp())
    updated_at = TimestampField(null=True, auto_now=True, db_default=CurrentTimestamp(), on_update=True)
    deleted_at = TimestampField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        db_table = "users"
        ordering = ["-created_at"]
        indexes = [
            SeedIndex(fields=["email"], name="idx_email"),
            SeedIndex(fields=["phone"], name="idx_phone"),
            SeedIndex(fields=["role"], name="idx_role"),
            SeedIndex(fields=["is_active"], name="idx_active"),
            SeedIndex(fields=["email_verified"], name="idx_email_verified"),
            SeedIndex(fields=["created_at"], name="idx_created_at"),
        ]

    def __str__(self):
        return self.email

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.ADMIN, Role.SUPER_ADMIN)

    @property
    def is_superuser(self) -> bool:
        return self.role == Role.SUPER_ADMIN

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def set_password(self, raw_password: str | None) -> None:
        if raw_password is None:
            self.set_unusable_password()
            return
        self.password = hash_password(raw_password)
        self._password = raw_password

    def check_password(self, raw_password: str | None) -> bool:
        valid = verify_password(raw_password or "", self.password)
        if valid and needs_rehash(self.password) and self.pk:
            self.set_password(raw_password)
            self.save(update_fields=["password"])
        return valid

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def has_perm(self, perm, obj=None):
        if not (self.is_active and self.is_staff and not self.is_deleted):
            return False
        if self.is_superuser:
            return True
        # Admins run the platform but cannot delete people or change who is staff.
        return perm not in {"accounts.delete_user"}

    def has_perms(self, perm_list, obj=None):
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label):
        return bool(self.is_active and self.is_staff and not self.is_deleted)


class ProfileVisibility(models.TextChoices):
    PUBLIC = "public", "Public"
    PRIVATE = "private", "Private"


class UserSettings(models.Model):
    """Notification and privacy preferences, one row per user."""

    id = uuid_primary_key()
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="settings")
    email_notifications = models.BooleanField(null=True, default=True, db_default=True)
    sms_notifications = models.BooleanField(null=True, default=True, db_default=True)
    order_notifications = models.BooleanField(null=True, default=True, db_default=True)
    payment_notifications = models.BooleanField(null=True, default=True, db_default=True)
    payout_notifications = models.BooleanField(null=True, default=True, db_default=True)
    marketing_notifications = models.BooleanField(null=True, default=False, db_default=False)
    profile_visibility = EnumField(
        choices=ProfileVisibility.choices,
        null=True,
        default=ProfileVisibility.PUBLIC,
        db_default=ProfileVisibility.PUBLIC,
    )
    show_email = models.BooleanField(null=True, default=False, db_default=False)
    show_phone = models.BooleanField(null=True, default=False, db_default=False)
    default_currency = models.CharField(max_length=3, null=True, default="NGN", db_default="NGN")
    timezone = models.CharField(max_length=50, null=True, default="Africa/Lagos", db_default="Africa/Lagos")
    language = models.CharField(max_length=10, null=True, default="en", db_default="en")
    two_factor_enabled = models.BooleanField(null=True, default=False, db_default=False)
    login_alerts = models.BooleanField(null=True, default=True, db_default=True)
    created_at = TimestampField(null=True, auto_now_add=True, db_default=CurrentTimestamp())
    updated_at = TimestampField(null=True, auto_now=True, db_default=CurrentTimestamp(), on_update=True)

    class Meta:
        db_table = "user_settings"
        verbose_name_plural = "user settings"
        indexes = [SeedIndex(fields=["user"], name="idx_user_id")]

    def __str__(self):
        return f"Settings of {self.user_id}"


class OtpType(models.TextChoices):
    EMAIL = "email", "Email verification"
    PHONE = "phone", "Phone verification"
    PASSWORD_RESET = "password_reset", "Password reset"
    LOGIN = "login", "Login"


class OtpVerification(models.Model):
    id = uuid_primary_key()
    email = models.CharField(max_length=255, null=True, blank=True)
    phone = models.CharField(max_length=20, null=True, blank=True)
    code = models.CharField(max_length=6)
    type = EnumField(choices=OtpType.choices)
    verified = models.BooleanField(null=True, default=False, db_default=False)
    expires_at = TimestampField()
    created_at = TimestampField(null=True, auto_now_add=True, db_default=CurrentTimestamp())

    class Meta:
        db_table = "otp_verifications"
        ordering = ["-created_at"]
        indexes = [
            SeedIndex(fields=["email"], name="idx_email"),
            SeedIndex(fields=["phone"], name="idx_phone"),
            SeedIndex(fields=["code"], name="idx_code"),
            SeedIndex(fields=["type"], name="idx_type"),
            SeedIndex(fields=["verified"], name="idx_verified"),
            SeedIndex(fields=["expires_at"], name="idx_expires_at"),
        ]

    def __str__(self):
        return f"{self.type} code for {self.email or self.phone}"


class RefreshToken(models.Model):
    """A refresh token, stored as a hash only."""

    id = uuid_primary_key()
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="refresh_tokens", db_index=False)
    token_hash = models.CharField(max_length=255)
    expires_at = TimestampField()
    revoked = models.BooleanField(null=True, default=False, db_default=False)
    revoked_at = TimestampField(null=True, blank=True)
    created_at = TimestampField(null=True, auto_now_add=True, db_default=CurrentTimestamp())

    class Meta:
        db_table = "refresh_tokens"
        ordering = ["-created_at"]
        indexes = [
            SeedIndex(fields=["user"], name="idx_user_id"),
            SeedIndex(fields=["token_hash"], name="idx_token_hash"),
            SeedIndex(fields=["expires_at"], name="idx_expires_at"),
            SeedIndex(fields=["revoked"], name="idx_revoked"),
        ]

    def __str__(self):
        return f"Refresh token {self.id}"
