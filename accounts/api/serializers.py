from rest_framework import serializers

from accounts.models import OtpType, User, UserSettings
from accounts.services import SETTINGS_FIELDS

CODE_FIELD = {"error_messages": {"invalid": "Enter the 6-digit code."}}


class UserSerializer(serializers.ModelSerializer):
    last_login_at = serializers.DateTimeField(source="last_login", read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "phone",
            "avatar_url",
            "role",
            "email_verified",
            "phone_verified",
            "has_completed_onboarding",
            "last_login_at",
            "created_at",
        ]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=255)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    full_name = serializers.CharField(max_length=255)
    phone = serializers.CharField(max_length=30, help_text="080…, 234… or +234…")


class RegisteredSerializer(serializers.Serializer):
    user = UserSerializer()


class LoginSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=255)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokensSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    token_type = serializers.CharField(default="Bearer")
    expires_in = serializers.IntegerField(help_text="Seconds until the access token expires.")
    user = UserSerializer()


class OtpRequiredSerializer(serializers.Serializer):
    otp_required = serializers.BooleanField()
    email = serializers.EmailField()


class VerifyOtpSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=[OtpType.EMAIL, OtpType.PHONE, OtpType.LOGIN])
    code = serializers.RegexField(r"^\d{6}$", **CODE_FIELD)
    email = serializers.CharField(max_length=255, required=False)
    phone = serializers.CharField(max_length=30, required=False)

    def validate(self, attrs):
        field = "phone" if attrs["type"] == OtpType.PHONE else "email"
        if not attrs.get(field):
            raise serializers.ValidationError({field: "This field is required for this type of code."})
        return attrs


class VerifiedSerializer(serializers.Serializer):
    verified = serializers.BooleanField()
    type = serializers.CharField()


class ResendOtpSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=OtpType.choices)
    email = serializers.CharField(max_length=255, required=False)
    phone = serializers.CharField(max_length=30, required=False)

    validate = VerifyOtpSerializer.validate


class RefreshSerializer(serializers.Serializer):
    refresh_token = serializers.CharField(max_length=255)


class ForgotPasswordSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=255)


class ResetPasswordSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=255)
    code = serializers.RegexField(r"^\d{6}$", **CODE_FIELD)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class ChangePasswordSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class ProfileUpdateSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=255, required=False)
    phone = serializers.CharField(max_length=30, required=False)
    avatar = serializers.FileField(required=False, help_text="JPEG, PNG, WebP or GIF (multipart).")


class UserSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = UserSettings
        fields = [*SETTINGS_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]


class DeleteAccountSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False)
