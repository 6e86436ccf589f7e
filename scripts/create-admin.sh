#!/usr/bin/env bash
# Creates the first administrator (Cognito group `ops`) in a deployed stage's staff user pool.
# Usage: scripts/create-admin.sh <stage> <email> "<full name>" [region]
# Needs the AWS CLI with credentials allowed cognito-idp:AdminCreateUser/AdminAddUserToGroup and
# cloudformation:DescribeStacks. Cognito e-mails a temporary password (valid 3 days); at first
# sign-in the admin sets a password and enrols a TOTP app (MFA is required, lib/identity.ts).
# Later staff: the admin (or a district admin) creates them the same way with their group and
# custom:centers / custom:districts (docs/operations.md "Staff accounts").
set -euo pipefail
stage="${1:?stage}"; email="${2:?email}"; name="${3:?full name}"; region="${4:-${AWS_REGION:-ap-south-1}}"
pool=$(aws cloudformation describe-stacks --region "$region" --stack-name "OpenCowin-$stage" \
  --query "Stacks[0].Outputs[?OutputKey=='StaffUserPoolId'].OutputValue" --output text)
if [ -z "$pool" ] || [ "$pool" = "None" ]; then echo "no StaffUserPoolId output on OpenCowin-$stage in $region" >&2; exit 1; fi
aws cognito-idp admin-create-user --region "$region" --user-pool-id "$pool" --username "$email" \
  --user-attributes Name=email,Value="$email" Name=email_verified,Value=true Name=name,Value="$name" \
  --desired-delivery-mediums EMAIL >/dev/null
aws cognito-idp admin-add-user-to-group --region "$region" --user-pool-id "$pool" --username "$email" --group-name ops
echo "created $email in group ops of $pool ($region); Cognito has e-mailed a temporary password"
