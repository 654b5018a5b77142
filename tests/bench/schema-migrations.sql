-- A product schema for tests/bench/schema.sh, written as the migrations of a Prisma app
-- (an e-signing product: users, teams, organisations, documents, recipients, fields,
-- templates, webhooks, billing). Each `-- migration NNN_name` line starts one migration;
-- the script applies all of them to database dev and all but the last BENCH_PENDING (12)
-- to prod. Identifiers are quoted CamelCase as Prisma writes them. The cluster-wide roles
-- app_user and app_admin that the policies name are created by the script.

-- migration 001_init
CREATE TYPE "IdentityProvider" AS ENUM ('DOCUMENSO', 'GOOGLE');
CREATE TYPE "Role" AS ENUM ('ADMIN', 'USER');
CREATE TYPE "DocumentStatus" AS ENUM ('DRAFT', 'PENDING', 'COMPLETED');
CREATE TYPE "ReadStatus" AS ENUM ('NOT_OPENED', 'OPENED');
CREATE TYPE "SendStatus" AS ENUM ('NOT_SENT', 'SENT');
CREATE TYPE "SigningStatus" AS ENUM ('NOT_SIGNED', 'SIGNED');
CREATE TYPE "FieldType" AS ENUM ('SIGNATURE', 'FREE_SIGNATURE', 'TEXT', 'DATE', 'EMAIL', 'NAME');

CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "name" TEXT,
    "email" TEXT NOT NULL,
    "emailVerified" TIMESTAMP(3),
    "password" TEXT,
    "source" TEXT,
    "image" TEXT,
    "identityProvider" "IdentityProvider" NOT NULL DEFAULT 'DOCUMENSO',
    "roles" "Role"[] DEFAULT ARRAY['USER']::"Role"[],
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,
    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "sessionToken" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "VerificationToken" (
    "id" SERIAL NOT NULL,
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" INTEGER NOT NULL,
    CONSTRAINT "VerificationToken_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Document" (
    "id" SERIAL NOT NULL,
    "created" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "status" "DocumentStatus" NOT NULL DEFAULT 'DRAFT',
    "document" TEXT NOT NULL,
    CONSTRAINT "Document_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Recipient" (
    "id" SERIAL NOT NULL,
    "documentId" INTEGER NOT NULL,
    "email" VARCHAR(255) NOT NULL,
    "name" VARCHAR(255) NOT NULL DEFAULT '',
    "token" TEXT NOT NULL,
    "expired" TIMESTAMP(3),
    "readStatus" "ReadStatus" NOT NULL DEFAULT 'NOT_OPENED',
    "signingStatus" "SigningStatus" NOT NULL DEFAULT 'NOT_SIGNED',
    "sendStatus" "SendStatus" NOT NULL DEFAULT 'NOT_SENT',
    CONSTRAINT "Recipient_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Field" (
    "id" SERIAL NOT NULL,
    "documentId" INTEGER NOT NULL,
    "recipientId" INTEGER,
    "type" "FieldType" NOT NULL,
    "page" INTEGER NOT NULL,
    "positionX" INTEGER NOT NULL DEFAULT 0,
    "positionY" INTEGER NOT NULL DEFAULT 0,
    "customText" TEXT NOT NULL,
    "inserted" BOOLEAN NOT NULL,
    CONSTRAINT "Field_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Signature" (
    "id" SERIAL NOT NULL,
    "created" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recipientId" INTEGER NOT NULL,
    "fieldId" INTEGER NOT NULL,
    "signatureImageAsBase64" TEXT,
    "typedSignature" TEXT,
    CONSTRAINT "Signature_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "Account_provider_providerAccountId_key" ON "Account"("provider", "providerAccountId");
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");
CREATE UNIQUE INDEX "VerificationToken_token_key" ON "VerificationToken"("token");
CREATE UNIQUE INDEX "Recipient_documentId_email_key" ON "Recipient"("documentId", "email");
CREATE UNIQUE INDEX "Signature_fieldId_key" ON "Signature"("fieldId");

ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "VerificationToken" ADD CONSTRAINT "VerificationToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Document" ADD CONSTRAINT "Document_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Recipient" ADD CONSTRAINT "Recipient_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Field" ADD CONSTRAINT "Field_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Field" ADD CONSTRAINT "Field_recipientId_fkey" FOREIGN KEY ("recipientId") REFERENCES "Recipient"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Signature" ADD CONSTRAINT "Signature_recipientId_fkey" FOREIGN KEY ("recipientId") REFERENCES "Recipient"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Signature" ADD CONSTRAINT "Signature_fieldId_fkey" FOREIGN KEY ("fieldId") REFERENCES "Field"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- migration 002_extensions
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- migration 003_updated_at_function
CREATE OR REPLACE FUNCTION "set_updated_at"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW."updatedAt" := CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$;

-- migration 004_user_timestamps
ALTER TABLE "User" ADD COLUMN "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
                   ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
CREATE TRIGGER "User_set_updated_at" BEFORE UPDATE ON "User"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();

-- migration 005_document_data
CREATE TYPE "DocumentDataType" AS ENUM ('S3_PATH', 'BYTES', 'BYTES_64');
CREATE TABLE "DocumentData" (
    "id" TEXT NOT NULL,
    "type" "DocumentDataType" NOT NULL,
    "data" TEXT NOT NULL,
    "initialData" TEXT NOT NULL,
    CONSTRAINT "DocumentData_pkey" PRIMARY KEY ("id")
);

-- migration 006_document_data_link
ALTER TABLE "Document" ADD COLUMN "documentDataId" TEXT;
CREATE UNIQUE INDEX "Document_documentDataId_key" ON "Document"("documentDataId");
ALTER TABLE "Document" ADD CONSTRAINT "Document_documentDataId_fkey" FOREIGN KEY ("documentDataId") REFERENCES "DocumentData"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 007_drop_inline_document
ALTER TABLE "Document" DROP COLUMN "document";

-- migration 008_password_reset
CREATE TABLE "PasswordResetToken" (
    "id" SERIAL NOT NULL,
    "token" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiry" TIMESTAMP(3) NOT NULL,
    "userId" INTEGER NOT NULL,
    CONSTRAINT "PasswordResetToken_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "PasswordResetToken_token_key" ON "PasswordResetToken"("token");
ALTER TABLE "PasswordResetToken" ADD CONSTRAINT "PasswordResetToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 009_subscription
CREATE TYPE "SubscriptionStatus" AS ENUM ('ACTIVE', 'PAST_DUE', 'INACTIVE');
CREATE TABLE "Subscription" (
    "id" SERIAL NOT NULL,
    "status" "SubscriptionStatus" NOT NULL DEFAULT 'INACTIVE',
    "planId" TEXT,
    "priceId" TEXT,
    "customerId" TEXT NOT NULL,
    "periodEnd" TIMESTAMP(3),
    "userId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Subscription_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Subscription_planId_key" ON "Subscription"("planId");
CREATE INDEX "Subscription_userId_idx" ON "Subscription"("userId");
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 010_document_meta
CREATE TABLE "DocumentMeta" (
    "id" TEXT NOT NULL,
    "subject" TEXT,
    "message" TEXT,
    "timezone" TEXT DEFAULT 'Etc/UTC',
    "dateFormat" TEXT DEFAULT 'yyyy-MM-dd hh:mm a',
    "documentId" INTEGER NOT NULL,
    CONSTRAINT "DocumentMeta_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "DocumentMeta_documentId_key" ON "DocumentMeta"("documentId");
ALTER TABLE "DocumentMeta" ADD CONSTRAINT "DocumentMeta_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 011_document_updated_at
ALTER TABLE "Document" ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
CREATE TRIGGER "Document_set_updated_at" BEFORE UPDATE ON "Document"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();

-- migration 012_field_dimensions
ALTER TABLE "Field" ADD COLUMN "width" DECIMAL(65,30) NOT NULL DEFAULT -1,
                    ADD COLUMN "height" DECIMAL(65,30) NOT NULL DEFAULT -1;
ALTER TABLE "Field" ALTER COLUMN "positionX" SET DATA TYPE DECIMAL(65,30),
                    ALTER COLUMN "positionY" SET DATA TYPE DECIMAL(65,30);

-- migration 013_recipient_signed_at
ALTER TABLE "Recipient" ADD COLUMN "signedAt" TIMESTAMP(3);

-- migration 014_document_completed_at
ALTER TABLE "Document" ADD COLUMN "completedAt" TIMESTAMP(3);

-- migration 015_document_indexes
CREATE INDEX "Document_userId_idx" ON "Document"("userId");
CREATE INDEX "Document_status_idx" ON "Document"("status");
CREATE INDEX "Recipient_token_idx" ON "Recipient"("token");
CREATE INDEX "Field_documentId_idx" ON "Field"("documentId");
CREATE INDEX "Field_recipientId_idx" ON "Field"("recipientId");

-- migration 016_templates
CREATE TYPE "TemplateType" AS ENUM ('PUBLIC', 'PRIVATE');
CREATE TABLE "Template" (
    "id" SERIAL NOT NULL,
    "type" "TemplateType" NOT NULL DEFAULT 'PRIVATE',
    "title" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "templateDocumentDataId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Template_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Template_templateDocumentDataId_key" ON "Template"("templateDocumentDataId");
CREATE INDEX "Template_userId_idx" ON "Template"("userId");
ALTER TABLE "Template" ADD CONSTRAINT "Template_templateDocumentDataId_fkey" FOREIGN KEY ("templateDocumentDataId") REFERENCES "DocumentData"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Template" ADD CONSTRAINT "Template_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE TRIGGER "Template_set_updated_at" BEFORE UPDATE ON "Template"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();

-- migration 017_template_recipients
ALTER TABLE "Recipient" ADD COLUMN "templateId" INTEGER,
                        ALTER COLUMN "documentId" DROP NOT NULL;
ALTER TABLE "Field" ADD COLUMN "templateId" INTEGER,
                    ALTER COLUMN "documentId" DROP NOT NULL;
CREATE UNIQUE INDEX "Recipient_templateId_email_key" ON "Recipient"("templateId", "email");
CREATE INDEX "Recipient_templateId_idx" ON "Recipient"("templateId");
CREATE INDEX "Field_templateId_idx" ON "Field"("templateId");
ALTER TABLE "Recipient" ADD CONSTRAINT "Recipient_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "Template"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Field" ADD CONSTRAINT "Field_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "Template"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 018_field_owner_check
ALTER TABLE "Field" ADD CONSTRAINT "Field_document_or_template_check"
    CHECK (("documentId" IS NOT NULL) <> ("templateId" IS NOT NULL));

-- migration 019_recipient_role
CREATE TYPE "RecipientRole" AS ENUM ('CC', 'SIGNER', 'VIEWER', 'APPROVER');
ALTER TABLE "Recipient" ADD COLUMN "role" "RecipientRole" NOT NULL DEFAULT 'SIGNER';

-- migration 020_user_security_audit_log
CREATE TYPE "UserSecurityAuditLogType" AS ENUM ('ACCOUNT_PROFILE_UPDATE', 'ACCOUNT_SSO_LINK', 'AUTH_2FA_DISABLE', 'AUTH_2FA_ENABLE', 'PASSWORD_RESET', 'PASSWORD_UPDATE', 'SIGN_OUT', 'SIGN_IN', 'SIGN_IN_FAIL', 'SIGN_IN_2FA_FAIL');
CREATE TABLE "UserSecurityAuditLog" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" "UserSecurityAuditLogType" NOT NULL,
    "userAgent" TEXT,
    "ipAddress" TEXT,
    CONSTRAINT "UserSecurityAuditLog_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "UserSecurityAuditLog_userId_createdAt_idx" ON "UserSecurityAuditLog"("userId", "createdAt" DESC);
ALTER TABLE "UserSecurityAuditLog" ADD CONSTRAINT "UserSecurityAuditLog_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 021_two_factor
ALTER TABLE "User" ADD COLUMN "twoFactorSecret" TEXT,
                   ADD COLUMN "twoFactorEnabled" BOOLEAN NOT NULL DEFAULT false,
                   ADD COLUMN "twoFactorBackupCodes" TEXT;

-- migration 022_user_signature
ALTER TABLE "User" ADD COLUMN "signature" TEXT;

-- migration 023_site_settings
CREATE TABLE "SiteSettings" (
    "id" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "data" JSONB NOT NULL,
    "lastModifiedByUserId" INTEGER,
    "lastModifiedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SiteSettings_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "SiteSettings" ADD CONSTRAINT "SiteSettings_lastModifiedByUserId_fkey" FOREIGN KEY ("lastModifiedByUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- migration 024_teams
CREATE TYPE "TeamMemberRole" AS ENUM ('ADMIN', 'MANAGER', 'MEMBER');
CREATE TABLE "Team" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "url" VARCHAR(60) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "customerId" TEXT,
    "ownerUserId" INTEGER NOT NULL,
    CONSTRAINT "Team_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Team_url_format_check" CHECK ("url" ~ '^[a-z0-9][a-z0-9-]*$')
);
CREATE TABLE "TeamMember" (
    "id" SERIAL NOT NULL,
    "teamId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "role" "TeamMemberRole" NOT NULL,
    "userId" INTEGER NOT NULL,
    CONSTRAINT "TeamMember_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Team_url_key" ON "Team"("url");
CREATE UNIQUE INDEX "Team_customerId_key" ON "Team"("customerId");
CREATE UNIQUE INDEX "TeamMember_userId_teamId_key" ON "TeamMember"("userId", "teamId");
ALTER TABLE "Team" ADD CONSTRAINT "Team_ownerUserId_fkey" FOREIGN KEY ("ownerUserId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 025_team_invites
CREATE TYPE "TeamMemberInviteStatus" AS ENUM ('ACCEPTED', 'PENDING');
CREATE TABLE "TeamMemberInvite" (
    "id" SERIAL NOT NULL,
    "teamId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "email" TEXT NOT NULL,
    "status" "TeamMemberInviteStatus" NOT NULL DEFAULT 'PENDING',
    "role" "TeamMemberRole" NOT NULL,
    "token" TEXT NOT NULL,
    CONSTRAINT "TeamMemberInvite_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "TeamMemberInvite_token_key" ON "TeamMemberInvite"("token");
CREATE UNIQUE INDEX "TeamMemberInvite_teamId_email_key" ON "TeamMemberInvite"("teamId", "email");
ALTER TABLE "TeamMemberInvite" ADD CONSTRAINT "TeamMemberInvite_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 026_team_email
CREATE TABLE "TeamEmail" (
    "teamId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    CONSTRAINT "TeamEmail_pkey" PRIMARY KEY ("teamId")
);
CREATE TABLE "TeamEmailVerification" (
    "teamId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TeamEmailVerification_pkey" PRIMARY KEY ("teamId"),
    CONSTRAINT "TeamEmailVerification_expiry_check" CHECK ("expiresAt" > "createdAt")
);
CREATE UNIQUE INDEX "TeamEmail_email_key" ON "TeamEmail"("email");
CREATE UNIQUE INDEX "TeamEmailVerification_token_key" ON "TeamEmailVerification"("token");
ALTER TABLE "TeamEmail" ADD CONSTRAINT "TeamEmail_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TeamEmailVerification" ADD CONSTRAINT "TeamEmailVerification_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 027_team_transfer
CREATE TABLE "TeamTransferVerification" (
    "teamId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "clearPaymentMethods" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "TeamTransferVerification_pkey" PRIMARY KEY ("teamId")
);
CREATE UNIQUE INDEX "TeamTransferVerification_token_key" ON "TeamTransferVerification"("token");
ALTER TABLE "TeamTransferVerification" ADD CONSTRAINT "TeamTransferVerification_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 028_team_pending
CREATE TABLE "TeamPending" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "url" VARCHAR(60) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "customerId" TEXT NOT NULL,
    "ownerUserId" INTEGER NOT NULL,
    CONSTRAINT "TeamPending_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "TeamPending_url_key" ON "TeamPending"("url");
CREATE UNIQUE INDEX "TeamPending_customerId_key" ON "TeamPending"("customerId");
ALTER TABLE "TeamPending" ADD CONSTRAINT "TeamPending_ownerUserId_fkey" FOREIGN KEY ("ownerUserId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 029_document_team
ALTER TABLE "Document" ADD COLUMN "teamId" INTEGER;
CREATE INDEX "Document_teamId_idx" ON "Document"("teamId");
ALTER TABLE "Document" ADD CONSTRAINT "Document_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- migration 030_template_team
ALTER TABLE "Template" ADD COLUMN "teamId" INTEGER;
CREATE INDEX "Template_teamId_idx" ON "Template"("teamId");
ALTER TABLE "Template" ADD CONSTRAINT "Template_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 031_subscription_team
ALTER TABLE "Subscription" ADD COLUMN "teamId" INTEGER,
                           ALTER COLUMN "userId" DROP NOT NULL;
CREATE UNIQUE INDEX "Subscription_teamId_key" ON "Subscription"("teamId");
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 032_team_member_guard
CREATE OR REPLACE FUNCTION "prevent_owner_removal"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    owner_id integer;
BEGIN
    SELECT "ownerUserId" INTO owner_id FROM "Team" WHERE "id" = OLD."teamId";
    IF owner_id = OLD."userId" THEN
        RAISE EXCEPTION 'the owner of team % cannot leave it', OLD."teamId"
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER "TeamMember_prevent_owner_removal" BEFORE DELETE ON "TeamMember"
    FOR EACH ROW EXECUTE FUNCTION "prevent_owner_removal"();

-- migration 033_api_tokens
CREATE TYPE "ApiTokenAlgorithm" AS ENUM ('SHA512');
CREATE TABLE "ApiToken" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "algorithm" "ApiTokenAlgorithm" NOT NULL DEFAULT 'SHA512',
    "expires" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" INTEGER,
    "teamId" INTEGER,
    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ApiToken_token_key" ON "ApiToken"("token");
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 034_document_source
CREATE TYPE "DocumentSource" AS ENUM ('DOCUMENT', 'TEMPLATE');
ALTER TABLE "Document" ADD COLUMN "source" "DocumentSource" NOT NULL DEFAULT 'DOCUMENT',
                       ADD COLUMN "templateId" INTEGER;
ALTER TABLE "Document" ADD CONSTRAINT "Document_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "Template"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- migration 035_webhooks
CREATE TYPE "WebhookTriggerEvents" AS ENUM ('DOCUMENT_CREATED', 'DOCUMENT_SIGNED');
CREATE TABLE "Webhook" (
    "id" TEXT NOT NULL,
    "webhookUrl" TEXT NOT NULL,
    "eventTriggers" "WebhookTriggerEvents"[],
    "secret" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" INTEGER NOT NULL,
    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 036_webhook_events
ALTER TYPE "WebhookTriggerEvents" ADD VALUE 'DOCUMENT_SENT';
ALTER TYPE "WebhookTriggerEvents" ADD VALUE 'DOCUMENT_OPENED';
ALTER TYPE "WebhookTriggerEvents" ADD VALUE 'DOCUMENT_COMPLETED';

-- migration 037_webhook_team
ALTER TABLE "Webhook" ADD COLUMN "teamId" INTEGER;
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 038_webhook_calls
CREATE TYPE "WebhookCallStatus" AS ENUM ('SUCCESS', 'FAILED');
CREATE TABLE "WebhookCall" (
    "id" TEXT NOT NULL,
    "status" "WebhookCallStatus" NOT NULL,
    "url" TEXT NOT NULL,
    "event" "WebhookTriggerEvents" NOT NULL,
    "requestBody" JSONB NOT NULL,
    "responseCode" INTEGER NOT NULL,
    "responseHeaders" JSONB,
    "responseBody" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "webhookId" TEXT NOT NULL,
    CONSTRAINT "WebhookCall_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "WebhookCall_responseCode_check" CHECK ("responseCode" BETWEEN 0 AND 599)
);
CREATE INDEX "WebhookCall_webhookId_createdAt_idx" ON "WebhookCall"("webhookId", "createdAt");
ALTER TABLE "WebhookCall" ADD CONSTRAINT "WebhookCall_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 039_document_audit_log
CREATE TABLE "DocumentAuditLog" (
    "id" TEXT NOT NULL,
    "documentId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "userId" INTEGER,
    "userAgent" TEXT,
    "ipAddress" TEXT,
    CONSTRAINT "DocumentAuditLog_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "DocumentAuditLog_documentId_idx" ON "DocumentAuditLog"("documentId");
ALTER TABLE "DocumentAuditLog" ADD CONSTRAINT "DocumentAuditLog_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 040_audit_function
CREATE OR REPLACE FUNCTION "log_document_status_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW."status" IS DISTINCT FROM OLD."status" THEN
        INSERT INTO "DocumentAuditLog" ("id", "documentId", "type", "data")
        VALUES (gen_random_uuid()::text, NEW."id", 'DOCUMENT_STATUS_CHANGED',
                jsonb_build_object('from', OLD."status", 'to', NEW."status"));
    END IF;
    RETURN NEW;
END;
$$;

-- migration 041_audit_trigger
CREATE TRIGGER "Document_log_status_change" AFTER UPDATE OF "status" ON "Document"
    FOR EACH ROW EXECUTE FUNCTION "log_document_status_change"();

-- migration 042_share_links
CREATE TABLE "DocumentShareLink" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "documentId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "DocumentShareLink_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "DocumentShareLink_slug_key" ON "DocumentShareLink"("slug");
CREATE UNIQUE INDEX "DocumentShareLink_documentId_email_key" ON "DocumentShareLink"("documentId", "email");
ALTER TABLE "DocumentShareLink" ADD CONSTRAINT "DocumentShareLink_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 043_document_soft_delete
ALTER TABLE "Document" ADD COLUMN "deletedAt" TIMESTAMP(3);

-- migration 044_document_meta_password
ALTER TABLE "DocumentMeta" ADD COLUMN "password" TEXT;

-- migration 045_document_meta_redirect
ALTER TABLE "DocumentMeta" ADD COLUMN "redirectUrl" TEXT;

-- migration 046_signing_order
CREATE TYPE "DocumentSigningOrder" AS ENUM ('PARALLEL', 'SEQUENTIAL');
ALTER TABLE "DocumentMeta" ADD COLUMN "signingOrder" "DocumentSigningOrder" NOT NULL DEFAULT 'PARALLEL';
ALTER TABLE "Recipient" ADD COLUMN "signingOrder" INTEGER;
ALTER TABLE "Recipient" ADD CONSTRAINT "Recipient_signingOrder_check" CHECK ("signingOrder" IS NULL OR "signingOrder" >= 1);

-- migration 047_field_meta
ALTER TABLE "Field" ADD COLUMN "fieldMeta" JSONB;

-- migration 048_field_types
ALTER TYPE "FieldType" ADD VALUE 'NUMBER';
ALTER TYPE "FieldType" ADD VALUE 'RADIO';
ALTER TYPE "FieldType" ADD VALUE 'CHECKBOX';
ALTER TYPE "FieldType" ADD VALUE 'DROPDOWN';

-- migration 049_field_initials
ALTER TYPE "FieldType" ADD VALUE 'INITIALS' AFTER 'NAME';

-- migration 050_template_meta
CREATE TABLE "TemplateMeta" (
    "id" TEXT NOT NULL,
    "subject" TEXT,
    "message" TEXT,
    "timezone" TEXT DEFAULT 'Etc/UTC',
    "password" TEXT,
    "dateFormat" TEXT DEFAULT 'yyyy-MM-dd hh:mm a',
    "templateId" INTEGER NOT NULL,
    "redirectUrl" TEXT,
    CONSTRAINT "TemplateMeta_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "TemplateMeta_templateId_key" ON "TemplateMeta"("templateId");
ALTER TABLE "TemplateMeta" ADD CONSTRAINT "TemplateMeta_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "Template"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 051_template_direct_link
CREATE TABLE "TemplateDirectLink" (
    "id" TEXT NOT NULL,
    "templateId" INTEGER NOT NULL,
    "token" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "enabled" BOOLEAN NOT NULL,
    "directTemplateRecipientId" INTEGER NOT NULL,
    CONSTRAINT "TemplateDirectLink_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "TemplateDirectLink_id_key" ON "TemplateDirectLink"("id");
CREATE UNIQUE INDEX "TemplateDirectLink_templateId_key" ON "TemplateDirectLink"("templateId");
ALTER TABLE "TemplateDirectLink" ADD CONSTRAINT "TemplateDirectLink_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "Template"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 052_document_source_direct
ALTER TYPE "DocumentSource" ADD VALUE 'TEMPLATE_DIRECT_LINK';

-- migration 053_passkeys
CREATE TABLE "Passkey" (
    "id" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "credentialId" BYTEA NOT NULL,
    "credentialPublicKey" BYTEA NOT NULL,
    "counter" BIGINT NOT NULL,
    "credentialDeviceType" TEXT NOT NULL,
    "credentialBackedUp" BOOLEAN NOT NULL,
    "transports" TEXT[],
    CONSTRAINT "Passkey_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Passkey_userId_idx" ON "Passkey"("userId");
ALTER TABLE "Passkey" ADD CONSTRAINT "Passkey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 054_anonymous_verification
CREATE TABLE "AnonymousVerificationToken" (
    "id" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AnonymousVerificationToken_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "AnonymousVerificationToken_token_key" ON "AnonymousVerificationToken"("token");

-- migration 055_passkey_audit_types
ALTER TYPE "UserSecurityAuditLogType" ADD VALUE 'PASSKEY_CREATED';
ALTER TYPE "UserSecurityAuditLogType" ADD VALUE 'PASSKEY_DELETED';
ALTER TYPE "UserSecurityAuditLogType" ADD VALUE 'PASSKEY_UPDATED';

-- migration 056_counter
CREATE TABLE "Counter" (
    "id" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    CONSTRAINT "Counter_pkey" PRIMARY KEY ("id")
);

-- migration 057_next_counter
CREATE OR REPLACE FUNCTION "next_counter"(counter_id text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    next_value integer;
BEGIN
    INSERT INTO "Counter" ("id", "value") VALUES (counter_id, 1)
    ON CONFLICT ("id") DO UPDATE SET "value" = "Counter"."value" + 1
    RETURNING "value" INTO next_value;
    RETURN next_value;
END;
$$;

-- migration 058_background_jobs
CREATE TYPE "BackgroundJobStatus" AS ENUM ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED');
CREATE TYPE "BackgroundJobTaskStatus" AS ENUM ('PENDING', 'COMPLETED', 'FAILED');
CREATE TABLE "BackgroundJob" (
    "id" TEXT NOT NULL,
    "status" "BackgroundJobStatus" NOT NULL DEFAULT 'PENDING',
    "payload" JSONB,
    "retried" INTEGER NOT NULL DEFAULT 0,
    "maxRetries" INTEGER NOT NULL DEFAULT 3,
    "jobId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),
    "lastRetriedAt" TIMESTAMP(3),
    CONSTRAINT "BackgroundJob_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "BackgroundJob_retries_check" CHECK ("retried" >= 0 AND "retried" <= "maxRetries")
);
CREATE TABLE "BackgroundJobTask" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "BackgroundJobTaskStatus" NOT NULL DEFAULT 'PENDING',
    "result" JSONB,
    "retried" INTEGER NOT NULL DEFAULT 0,
    "maxRetries" INTEGER NOT NULL DEFAULT 3,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "jobId" TEXT NOT NULL,
    CONSTRAINT "BackgroundJobTask_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "BackgroundJob_status_submittedAt_idx" ON "BackgroundJob"("status", "submittedAt");
CREATE INDEX "BackgroundJobTask_jobId_idx" ON "BackgroundJobTask"("jobId");
ALTER TABLE "BackgroundJobTask" ADD CONSTRAINT "BackgroundJobTask_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "BackgroundJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 059_avatar_images
CREATE TABLE "AvatarImage" (
    "id" TEXT NOT NULL,
    "bytes" TEXT NOT NULL,
    CONSTRAINT "AvatarImage_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "User" ADD COLUMN "avatarImageId" TEXT;
ALTER TABLE "Team" ADD COLUMN "avatarImageId" TEXT;
ALTER TABLE "User" ADD CONSTRAINT "User_avatarImageId_fkey" FOREIGN KEY ("avatarImageId") REFERENCES "AvatarImage"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Team" ADD CONSTRAINT "Team_avatarImageId_fkey" FOREIGN KEY ("avatarImageId") REFERENCES "AvatarImage"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- migration 060_user_disabled
ALTER TABLE "User" ADD COLUMN "disabled" BOOLEAN NOT NULL DEFAULT false;

-- migration 061_user_url
ALTER TABLE "User" ADD COLUMN "url" VARCHAR(60);
CREATE UNIQUE INDEX "User_url_key" ON "User"("url");

-- migration 062_user_profile
CREATE TABLE "UserProfile" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "bio" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "UserProfile_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "UserProfile_userId_key" ON "UserProfile"("userId");
ALTER TABLE "UserProfile" ADD CONSTRAINT "UserProfile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 063_team_profile
CREATE TABLE "TeamProfile" (
    "id" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "teamId" INTEGER NOT NULL,
    "bio" TEXT,
    CONSTRAINT "TeamProfile_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "TeamProfile_teamId_key" ON "TeamProfile"("teamId");
ALTER TABLE "TeamProfile" ADD CONSTRAINT "TeamProfile_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 064_template_public
ALTER TABLE "Template" ADD COLUMN "publicTitle" TEXT NOT NULL DEFAULT '',
                       ADD COLUMN "publicDescription" TEXT NOT NULL DEFAULT '';

-- migration 065_document_visibility
CREATE TYPE "DocumentVisibility" AS ENUM ('EVERYONE', 'MANAGER_AND_ABOVE', 'ADMIN');
ALTER TABLE "Document" ADD COLUMN "visibility" "DocumentVisibility" NOT NULL DEFAULT 'EVERYONE';

-- migration 066_team_global_settings
CREATE TABLE "TeamGlobalSettings" (
    "teamId" INTEGER NOT NULL,
    "documentVisibility" "DocumentVisibility" NOT NULL DEFAULT 'EVERYONE',
    "includeSenderDetails" BOOLEAN NOT NULL DEFAULT true,
    "documentLanguage" TEXT NOT NULL DEFAULT 'en',
    "brandingEnabled" BOOLEAN NOT NULL DEFAULT false,
    "brandingLogo" TEXT NOT NULL DEFAULT '',
    "brandingUrl" TEXT NOT NULL DEFAULT '',
    "brandingCompanyDetails" TEXT NOT NULL DEFAULT '',
    "brandingHidePoweredBy" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "TeamGlobalSettings_pkey" PRIMARY KEY ("teamId")
);
ALTER TABLE "TeamGlobalSettings" ADD CONSTRAINT "TeamGlobalSettings_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 067_document_meta_language
ALTER TABLE "DocumentMeta" ADD COLUMN "language" TEXT NOT NULL DEFAULT 'en';
ALTER TABLE "TemplateMeta" ADD COLUMN "language" TEXT NOT NULL DEFAULT 'en';

-- migration 068_document_meta_typed_signature
ALTER TABLE "DocumentMeta" ADD COLUMN "typedSignatureEnabled" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "TemplateMeta" ADD COLUMN "typedSignatureEnabled" BOOLEAN NOT NULL DEFAULT false;

-- migration 069_document_auth_options
ALTER TABLE "Document" ADD COLUMN "authOptions" JSONB;
ALTER TABLE "Recipient" ADD COLUMN "authOptions" JSONB;
ALTER TABLE "Template" ADD COLUMN "authOptions" JSONB;

-- migration 070_recipient_rejection
ALTER TYPE "SigningStatus" ADD VALUE 'REJECTED';
ALTER TABLE "Recipient" ADD COLUMN "rejectionReason" TEXT;

-- migration 071_document_external_id
ALTER TABLE "Document" ADD COLUMN "externalId" VARCHAR(255);
ALTER TABLE "Template" ADD COLUMN "externalId" VARCHAR(255);

-- migration 072_recipient_document_index
CREATE INDEX "Recipient_documentId_idx" ON "Recipient"("documentId");
CREATE INDEX "Recipient_email_idx" ON "Recipient"("email");

-- migration 073_signature_index
CREATE INDEX "Signature_recipientId_idx" ON "Signature"("recipientId");

-- migration 074_document_created_index
CREATE INDEX "Document_created_idx" ON "Document"("created" DESC);
CREATE INDEX "Document_deletedAt_idx" ON "Document"("deletedAt") WHERE "deletedAt" IS NOT NULL;

-- migration 075_session_index
CREATE INDEX "Session_userId_idx" ON "Session"("userId");
CREATE INDEX "Account_userId_idx" ON "Account"("userId");

-- migration 076_organisations
CREATE TYPE "OrganisationType" AS ENUM ('PERSONAL', 'ORGANISATION');
CREATE TABLE "Organisation" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" "OrganisationType" NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "url" VARCHAR(60) NOT NULL,
    "avatarImageId" TEXT,
    "customerId" TEXT,
    "ownerUserId" INTEGER NOT NULL,
    CONSTRAINT "Organisation_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Organisation_url_key" ON "Organisation"("url");
CREATE UNIQUE INDEX "Organisation_customerId_key" ON "Organisation"("customerId");
CREATE INDEX "Organisation_ownerUserId_idx" ON "Organisation"("ownerUserId");
ALTER TABLE "Organisation" ADD CONSTRAINT "Organisation_ownerUserId_fkey" FOREIGN KEY ("ownerUserId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Organisation" ADD CONSTRAINT "Organisation_avatarImageId_fkey" FOREIGN KEY ("avatarImageId") REFERENCES "AvatarImage"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE TRIGGER "Organisation_set_updated_at" BEFORE UPDATE ON "Organisation"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();

-- migration 077_organisation_members
CREATE TABLE "OrganisationMember" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" INTEGER NOT NULL,
    "organisationId" TEXT NOT NULL,
    CONSTRAINT "OrganisationMember_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "OrganisationMember_userId_organisationId_key" ON "OrganisationMember"("userId", "organisationId");
ALTER TABLE "OrganisationMember" ADD CONSTRAINT "OrganisationMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OrganisationMember" ADD CONSTRAINT "OrganisationMember_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 078_organisation_invites
CREATE TYPE "OrganisationMemberInviteStatus" AS ENUM ('ACCEPTED', 'PENDING', 'DECLINED');
CREATE TYPE "OrganisationMemberRole" AS ENUM ('ADMIN', 'MANAGER', 'MEMBER');
CREATE TABLE "OrganisationMemberInvite" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "email" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "status" "OrganisationMemberInviteStatus" NOT NULL DEFAULT 'PENDING',
    "organisationId" TEXT NOT NULL,
    "organisationRole" "OrganisationMemberRole" NOT NULL,
    CONSTRAINT "OrganisationMemberInvite_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "OrganisationMemberInvite_token_key" ON "OrganisationMemberInvite"("token");
ALTER TABLE "OrganisationMemberInvite" ADD CONSTRAINT "OrganisationMemberInvite_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 079_organisation_groups
CREATE TYPE "OrganisationGroupType" AS ENUM ('INTERNAL_ORGANISATION', 'INTERNAL_TEAM', 'CUSTOM');
CREATE TABLE "OrganisationGroup" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "type" "OrganisationGroupType" NOT NULL,
    "organisationRole" "OrganisationMemberRole" NOT NULL,
    "organisationId" TEXT NOT NULL,
    CONSTRAINT "OrganisationGroup_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "OrganisationGroupMember" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "organisationMemberId" TEXT NOT NULL,
    CONSTRAINT "OrganisationGroupMember_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "OrganisationGroupMember_organisationMemberId_groupId_key" ON "OrganisationGroupMember"("organisationMemberId", "groupId");
ALTER TABLE "OrganisationGroup" ADD CONSTRAINT "OrganisationGroup_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OrganisationGroupMember" ADD CONSTRAINT "OrganisationGroupMember_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "OrganisationGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OrganisationGroupMember" ADD CONSTRAINT "OrganisationGroupMember_organisationMemberId_fkey" FOREIGN KEY ("organisationMemberId") REFERENCES "OrganisationMember"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 080_team_groups
CREATE TABLE "TeamGroup" (
    "id" TEXT NOT NULL,
    "organisationGroupId" TEXT NOT NULL,
    "teamRole" "TeamMemberRole" NOT NULL,
    "teamId" INTEGER NOT NULL,
    CONSTRAINT "TeamGroup_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "TeamGroup_teamId_organisationGroupId_key" ON "TeamGroup"("teamId", "organisationGroupId");
ALTER TABLE "TeamGroup" ADD CONSTRAINT "TeamGroup_organisationGroupId_fkey" FOREIGN KEY ("organisationGroupId") REFERENCES "OrganisationGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TeamGroup" ADD CONSTRAINT "TeamGroup_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 081_team_organisation
ALTER TABLE "Team" ADD COLUMN "organisationId" TEXT;
CREATE INDEX "Team_organisationId_idx" ON "Team"("organisationId");
ALTER TABLE "Team" ADD CONSTRAINT "Team_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 082_organisation_claims
CREATE TABLE "OrganisationClaim" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "originalSubscriptionClaimId" TEXT,
    "teamCount" INTEGER NOT NULL,
    "memberCount" INTEGER NOT NULL,
    "flags" JSONB NOT NULL,
    CONSTRAINT "OrganisationClaim_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "OrganisationClaim_counts_check" CHECK ("teamCount" >= 0 AND "memberCount" >= 0)
);
ALTER TABLE "Organisation" ADD COLUMN "organisationClaimId" TEXT;
CREATE UNIQUE INDEX "Organisation_organisationClaimId_key" ON "Organisation"("organisationClaimId");
ALTER TABLE "Organisation" ADD CONSTRAINT "Organisation_organisationClaimId_fkey" FOREIGN KEY ("organisationClaimId") REFERENCES "OrganisationClaim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- migration 083_organisation_global_settings
CREATE TABLE "OrganisationGlobalSettings" (
    "id" TEXT NOT NULL,
    "documentVisibility" "DocumentVisibility" NOT NULL DEFAULT 'EVERYONE',
    "documentLanguage" TEXT NOT NULL DEFAULT 'en',
    "includeSenderDetails" BOOLEAN NOT NULL DEFAULT true,
    "includeSigningCertificate" BOOLEAN NOT NULL DEFAULT true,
    "typedSignatureEnabled" BOOLEAN NOT NULL DEFAULT true,
    "uploadSignatureEnabled" BOOLEAN NOT NULL DEFAULT true,
    "drawSignatureEnabled" BOOLEAN NOT NULL DEFAULT true,
    "brandingEnabled" BOOLEAN NOT NULL DEFAULT false,
    "brandingLogo" TEXT NOT NULL DEFAULT '',
    "brandingUrl" TEXT NOT NULL DEFAULT '',
    "brandingCompanyDetails" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "OrganisationGlobalSettings_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "Organisation" ADD COLUMN "organisationGlobalSettingsId" TEXT;
CREATE UNIQUE INDEX "Organisation_organisationGlobalSettingsId_key" ON "Organisation"("organisationGlobalSettingsId");
ALTER TABLE "Organisation" ADD CONSTRAINT "Organisation_organisationGlobalSettingsId_fkey" FOREIGN KEY ("organisationGlobalSettingsId") REFERENCES "OrganisationGlobalSettings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- migration 084_subscription_organisation
ALTER TABLE "Subscription" ADD COLUMN "organisationId" TEXT,
                           ADD COLUMN "cancelAtPeriodEnd" BOOLEAN NOT NULL DEFAULT false;
CREATE UNIQUE INDEX "Subscription_organisationId_key" ON "Subscription"("organisationId");
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 085_plans
CREATE TYPE "BillingInterval" AS ENUM ('MONTH', 'YEAR');
CREATE TABLE "Plan" (
    "id" TEXT NOT NULL,
    "code" VARCHAR(40) NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "interval" "BillingInterval" NOT NULL,
    "priceCents" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "seats" INTEGER,
    "features" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "limits" JSONB NOT NULL DEFAULT '{}',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Plan_price_check" CHECK ("priceCents" >= 0),
    CONSTRAINT "Plan_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$')
);
CREATE UNIQUE INDEX "Plan_code_interval_key" ON "Plan"("code", "interval");

-- migration 086_invoices
CREATE TYPE "InvoiceStatus" AS ENUM ('DRAFT', 'OPEN', 'PAID', 'VOID', 'UNCOLLECTIBLE');
CREATE TABLE "Invoice" (
    "id" TEXT NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "organisationId" TEXT NOT NULL,
    "status" "InvoiceStatus" NOT NULL DEFAULT 'DRAFT',
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "subtotal" NUMERIC(12,2) NOT NULL DEFAULT 0,
    "tax" NUMERIC(12,2) NOT NULL DEFAULT 0,
    "total" NUMERIC(12,2) NOT NULL DEFAULT 0,
    "issuedAt" TIMESTAMP(3),
    "dueAt" TIMESTAMP(3),
    "paidAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Invoice_total_check" CHECK ("total" = "subtotal" + "tax")
);
CREATE UNIQUE INDEX "Invoice_number_key" ON "Invoice"("number");
CREATE INDEX "Invoice_organisationId_status_idx" ON "Invoice"("organisationId", "status");
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- migration 087_invoice_lines
CREATE TABLE "InvoiceLine" (
    "id" SERIAL NOT NULL,
    "invoiceId" TEXT NOT NULL,
    "planId" TEXT,
    "description" VARCHAR(500) NOT NULL,
    "quantity" INTEGER NOT NULL DEFAULT 1,
    "unitAmount" NUMERIC(12,2) NOT NULL,
    "amount" NUMERIC(12,2) NOT NULL,
    "periodStart" DATE,
    "periodEnd" DATE,
    CONSTRAINT "InvoiceLine_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "InvoiceLine_quantity_check" CHECK ("quantity" > 0),
    CONSTRAINT "InvoiceLine_period_check" CHECK ("periodEnd" IS NULL OR "periodEnd" >= "periodStart")
);
CREATE INDEX "InvoiceLine_invoiceId_idx" ON "InvoiceLine"("invoiceId");
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "Invoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- migration 088_coupons
CREATE TABLE "Coupon" (
    "id" TEXT NOT NULL,
    "code" VARCHAR(40) NOT NULL,
    "percentOff" NUMERIC(5,2),
    "amountOffCents" INTEGER,
    "maxRedemptions" INTEGER,
    "redeemed" INTEGER NOT NULL DEFAULT 0,
    "validUntil" TIMESTAMPTZ,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Coupon_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Coupon_discount_check" CHECK (("percentOff" IS NULL) <> ("amountOffCents" IS NULL)),
    CONSTRAINT "Coupon_percent_check" CHECK ("percentOff" IS NULL OR ("percentOff" > 0 AND "percentOff" <= 100))
);
CREATE UNIQUE INDEX "Coupon_code_key" ON "Coupon"("code");

-- migration 089_invoice_totals_function
CREATE OR REPLACE FUNCTION "recompute_invoice_totals"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    target text := COALESCE(NEW."invoiceId", OLD."invoiceId");
    sub numeric(12,2);
BEGIN
    SELECT COALESCE(sum("amount"), 0) INTO sub FROM "InvoiceLine" WHERE "invoiceId" = target;
    UPDATE "Invoice" SET "subtotal" = sub, "total" = sub + "tax" WHERE "id" = target;
    RETURN NULL;
END;
$$;
CREATE TRIGGER "InvoiceLine_recompute_totals" AFTER INSERT OR UPDATE OR DELETE ON "InvoiceLine"
    FOR EACH ROW EXECUTE FUNCTION "recompute_invoice_totals"();

-- migration 090_notifications
CREATE TYPE "NotificationChannel" AS ENUM ('EMAIL', 'IN_APP', 'WEBHOOK');
CREATE TABLE "Notification" (
    "id" BIGSERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "channel" "NotificationChannel" NOT NULL DEFAULT 'IN_APP',
    "kind" VARCHAR(64) NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "readAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Notification_userId_readAt_idx" ON "Notification"("userId", "readAt");
CREATE INDEX "Notification_unread_idx" ON "Notification"("userId") WHERE "readAt" IS NULL;
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 091_notification_preferences
CREATE TABLE "NotificationPreference" (
    "userId" INTEGER NOT NULL,
    "channel" "NotificationChannel" NOT NULL,
    "kinds" VARCHAR(64)[] NOT NULL DEFAULT ARRAY[]::VARCHAR(64)[],
    "muted" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "NotificationPreference_pkey" PRIMARY KEY ("userId", "channel")
);
ALTER TABLE "NotificationPreference" ADD CONSTRAINT "NotificationPreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 092_email_log
CREATE TYPE "EmailStatus" AS ENUM ('QUEUED', 'SENT', 'DELIVERED', 'BOUNCED', 'COMPLAINED');
CREATE TABLE "EmailLog" (
    "id" BIGSERIAL NOT NULL,
    "to" VARCHAR(320) NOT NULL,
    "subject" VARCHAR(998) NOT NULL,
    "template" VARCHAR(64) NOT NULL,
    "status" "EmailStatus" NOT NULL DEFAULT 'QUEUED',
    "providerMessageId" TEXT,
    "documentId" INTEGER,
    "attempts" SMALLINT NOT NULL DEFAULT 0,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EmailLog_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "EmailLog_documentId_idx" ON "EmailLog"("documentId");
CREATE INDEX "EmailLog_status_createdAt_idx" ON "EmailLog"("status", "createdAt");
ALTER TABLE "EmailLog" ADD CONSTRAINT "EmailLog_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- migration 093_file_uploads
CREATE TABLE "FileUpload" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "userId" INTEGER,
    "fileName" VARCHAR(255) NOT NULL,
    "mimeType" VARCHAR(127) NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "storageKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "FileUpload_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "FileUpload_size_check" CHECK ("sizeBytes" > 0 AND "sizeBytes" <= 52428800)
);
CREATE UNIQUE INDEX "FileUpload_storageKey_key" ON "FileUpload"("storageKey");
CREATE INDEX "FileUpload_sha256_idx" ON "FileUpload"("sha256");
ALTER TABLE "FileUpload" ADD CONSTRAINT "FileUpload_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- migration 094_tags
CREATE TABLE "Tag" (
    "id" SERIAL NOT NULL,
    "teamId" INTEGER NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "color" CHAR(7) NOT NULL DEFAULT '#888888',
    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Tag_color_check" CHECK ("color" ~ '^#[0-9a-fA-F]{6}$')
);
CREATE TABLE "DocumentTag" (
    "documentId" INTEGER NOT NULL,
    "tagId" INTEGER NOT NULL,
    CONSTRAINT "DocumentTag_pkey" PRIMARY KEY ("documentId", "tagId")
);
CREATE UNIQUE INDEX "Tag_teamId_name_key" ON "Tag"("teamId", "name");
CREATE INDEX "DocumentTag_tagId_idx" ON "DocumentTag"("tagId");
ALTER TABLE "Tag" ADD CONSTRAINT "Tag_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "DocumentTag" ADD CONSTRAINT "DocumentTag_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "DocumentTag" ADD CONSTRAINT "DocumentTag_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 095_comments
CREATE TABLE "Comment" (
    "id" BIGSERIAL NOT NULL,
    "documentId" INTEGER NOT NULL,
    "authorUserId" INTEGER,
    "parentId" BIGINT,
    "body" TEXT NOT NULL,
    "page" INTEGER,
    "resolved" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Comment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Comment_body_check" CHECK (char_length("body") BETWEEN 1 AND 10000)
);
CREATE INDEX "Comment_documentId_createdAt_idx" ON "Comment"("documentId", "createdAt");
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_authorUserId_fkey" FOREIGN KEY ("authorUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Comment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE TRIGGER "Comment_set_updated_at" BEFORE UPDATE ON "Comment"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();

-- migration 096_reminders
CREATE TYPE "ReminderInterval" AS ENUM ('DAILY', 'EVERY_3_DAYS', 'WEEKLY');
CREATE TABLE "ReminderSchedule" (
    "id" SERIAL NOT NULL,
    "documentId" INTEGER NOT NULL,
    "interval" "ReminderInterval" NOT NULL DEFAULT 'EVERY_3_DAYS',
    "maxReminders" SMALLINT NOT NULL DEFAULT 3,
    "sent" SMALLINT NOT NULL DEFAULT 0,
    "nextRunAt" TIMESTAMPTZ NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "ReminderSchedule_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ReminderSchedule_sent_check" CHECK ("sent" <= "maxReminders")
);
CREATE UNIQUE INDEX "ReminderSchedule_documentId_key" ON "ReminderSchedule"("documentId");
CREATE INDEX "ReminderSchedule_nextRunAt_idx" ON "ReminderSchedule"("nextRunAt") WHERE "enabled";
ALTER TABLE "ReminderSchedule" ADD CONSTRAINT "ReminderSchedule_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 097_contacts
CREATE TABLE "Contact" (
    "id" SERIAL NOT NULL,
    "teamId" INTEGER NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "name" VARCHAR(255),
    "company" VARCHAR(255),
    "phone" VARCHAR(32),
    "labels" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "lastSignedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Contact_teamId_email_key" ON "Contact"("teamId", "email");
CREATE INDEX "Contact_labels_idx" ON "Contact" USING GIN ("labels");
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 098_contact_groups
CREATE TABLE "ContactGroup" (
    "id" SERIAL NOT NULL,
    "teamId" INTEGER NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "contactIds" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    CONSTRAINT "ContactGroup_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ContactGroup_teamId_name_key" ON "ContactGroup"("teamId", "name");
ALTER TABLE "ContactGroup" ADD CONSTRAINT "ContactGroup_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 099_audit_exports
CREATE TYPE "ExportFormat" AS ENUM ('CSV', 'PDF', 'JSON');
CREATE TABLE "AuditExport" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organisationId" TEXT NOT NULL,
    "requestedByUserId" INTEGER,
    "format" "ExportFormat" NOT NULL DEFAULT 'CSV',
    "rangeStart" TIMESTAMPTZ NOT NULL,
    "rangeEnd" TIMESTAMPTZ NOT NULL,
    "rowCount" INTEGER,
    "fileUploadId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AuditExport_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "AuditExport_range_check" CHECK ("rangeEnd" > "rangeStart")
);
CREATE INDEX "AuditExport_organisationId_idx" ON "AuditExport"("organisationId");
ALTER TABLE "AuditExport" ADD CONSTRAINT "AuditExport_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AuditExport" ADD CONSTRAINT "AuditExport_requestedByUserId_fkey" FOREIGN KEY ("requestedByUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "AuditExport" ADD CONSTRAINT "AuditExport_fileUploadId_fkey" FOREIGN KEY ("fileUploadId") REFERENCES "FileUpload"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- migration 100_folders
CREATE TYPE "FolderType" AS ENUM ('DOCUMENT', 'TEMPLATE');
CREATE TABLE "Folder" (
    "id" TEXT NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "userId" INTEGER NOT NULL,
    "teamId" INTEGER,
    "pinned" BOOLEAN NOT NULL DEFAULT false,
    "parentId" TEXT,
    "type" "FolderType" NOT NULL,
    "visibility" "DocumentVisibility" NOT NULL DEFAULT 'EVERYONE',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Folder_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Folder_userId_idx" ON "Folder"("userId");
CREATE INDEX "Folder_teamId_idx" ON "Folder"("teamId");
CREATE INDEX "Folder_parentId_idx" ON "Folder"("parentId");
CREATE INDEX "Folder_type_idx" ON "Folder"("type");
ALTER TABLE "Folder" ADD CONSTRAINT "Folder_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Folder" ADD CONSTRAINT "Folder_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Folder" ADD CONSTRAINT "Folder_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Folder"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 101_document_folder
ALTER TABLE "Document" ADD COLUMN "folderId" TEXT;
CREATE INDEX "Document_folderId_idx" ON "Document"("folderId");
ALTER TABLE "Document" ADD CONSTRAINT "Document_folderId_fkey" FOREIGN KEY ("folderId") REFERENCES "Folder"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 102_template_folder
ALTER TABLE "Template" ADD COLUMN "folderId" TEXT;
CREATE INDEX "Template_folderId_idx" ON "Template"("folderId");
ALTER TABLE "Template" ADD CONSTRAINT "Template_folderId_fkey" FOREIGN KEY ("folderId") REFERENCES "Folder"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 103_folder_updated_at
CREATE TRIGGER "Folder_set_updated_at" BEFORE UPDATE ON "Folder"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();

-- migration 104_normalize_email
CREATE OR REPLACE FUNCTION "normalize_email"(address text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT lower(btrim(address))
$$;
CREATE UNIQUE INDEX "User_email_normalized_key" ON "User"("normalize_email"("email"));

-- migration 105_current_user_function
CREATE OR REPLACE FUNCTION "app_current_user_id"() RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('app.user_id', true), '')::integer
$$;

-- migration 106_team_membership_function
CREATE OR REPLACE FUNCTION "is_team_member"(team_id integer, user_id integer) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM "TeamMember" tm
        WHERE tm."teamId" = team_id AND tm."userId" = user_id
    );
END;
$$;

-- migration 107_team_role_function
CREATE OR REPLACE FUNCTION "team_role"(team_id integer, user_id integer) RETURNS "TeamMemberRole"
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    r "TeamMemberRole";
BEGIN
    SELECT tm."role" INTO r FROM "TeamMember" tm
    WHERE tm."teamId" = team_id AND tm."userId" = user_id;
    RETURN r;
END;
$$;

-- migration 108_rls_documents
ALTER TABLE "Document" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Document_owner_all" ON "Document" FOR ALL TO app_user
    USING ("userId" = "app_current_user_id"())
    WITH CHECK ("userId" = "app_current_user_id"());
CREATE POLICY "Document_admin_all" ON "Document" FOR ALL TO app_admin USING (true);

-- migration 109_rls_recipients
ALTER TABLE "Recipient" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Recipient_document_owner" ON "Recipient" FOR SELECT TO app_user
    USING (EXISTS (SELECT 1 FROM "Document" d WHERE d."id" = "Recipient"."documentId"
                   AND d."userId" = "app_current_user_id"()));

-- migration 110_rls_fields
ALTER TABLE "Field" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Field_document_owner" ON "Field" FOR SELECT TO app_user
    USING (EXISTS (SELECT 1 FROM "Document" d WHERE d."id" = "Field"."documentId"
                   AND d."userId" = "app_current_user_id"()));

-- migration 111_rls_templates
ALTER TABLE "Template" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Template_owner_all" ON "Template" FOR ALL TO app_user
    USING ("userId" = "app_current_user_id"());
CREATE POLICY "Template_team_read" ON "Template" FOR SELECT TO app_user
    USING ("teamId" IS NOT NULL AND "is_team_member"("teamId", "app_current_user_id"()));

-- migration 112_rls_webhooks
ALTER TABLE "Webhook" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Webhook_owner_all" ON "Webhook" FOR ALL TO app_user
    USING ("userId" = "app_current_user_id"());

-- migration 113_rls_api_tokens
ALTER TABLE "ApiToken" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "ApiToken_owner_select" ON "ApiToken" FOR SELECT TO app_user
    USING ("userId" = "app_current_user_id"());
CREATE POLICY "ApiToken_owner_delete" ON "ApiToken" FOR DELETE TO app_user
    USING ("userId" = "app_current_user_id"());

-- migration 114_rls_team_members
ALTER TABLE "TeamMember" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "TeamMember_same_team" ON "TeamMember" FOR SELECT TO app_user
    USING ("is_team_member"("teamId", "app_current_user_id"()));

-- migration 115_realtime_publication
CREATE PUBLICATION "app_realtime" FOR TABLE "Document", "Recipient", "Field";

-- migration 116_document_status_guard
CREATE OR REPLACE FUNCTION "guard_document_status"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD."status" = 'COMPLETED' AND NEW."status" <> 'COMPLETED' THEN
        RAISE EXCEPTION 'document % is completed and cannot go back to %', OLD."id", NEW."status";
    END IF;
    IF NEW."status" = 'COMPLETED' AND NEW."completedAt" IS NULL THEN
        NEW."completedAt" := CURRENT_TIMESTAMP;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER "Document_guard_status" BEFORE UPDATE OF "status" ON "Document"
    FOR EACH ROW EXECUTE FUNCTION "guard_document_status"();

-- migration 117_recipient_progress
CREATE OR REPLACE FUNCTION "document_signing_progress"(doc_id integer)
RETURNS TABLE (total integer, signed integer, rejected integer)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
    SELECT count(*)::integer,
           count(*) FILTER (WHERE r."signingStatus" = 'SIGNED')::integer,
           count(*) FILTER (WHERE r."signingStatus" = 'REJECTED')::integer
    FROM "Recipient" r
    WHERE r."documentId" = doc_id AND r."role" <> 'CC';
END;
$$;

-- migration 118_complete_when_signed
CREATE OR REPLACE FUNCTION "complete_document_when_signed"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    p record;
BEGIN
    IF NEW."documentId" IS NULL OR NEW."signingStatus" <> 'SIGNED' THEN
        RETURN NEW;
    END IF;
    SELECT * INTO p FROM "document_signing_progress"(NEW."documentId");
    IF p.total > 0 AND p.signed = p.total THEN
        UPDATE "Document" SET "status" = 'COMPLETED' WHERE "id" = NEW."documentId" AND "status" = 'PENDING';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER "Recipient_complete_document" AFTER UPDATE OF "signingStatus" ON "Recipient"
    FOR EACH ROW EXECUTE FUNCTION "complete_document_when_signed"();

-- migration 119_token_generator
CREATE OR REPLACE FUNCTION "generate_token"(len integer DEFAULT 32) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    alphabet constant text := 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    out text := '';
    i integer;
BEGIN
    IF len < 8 OR len > 128 THEN
        RAISE EXCEPTION 'token length % out of range', len;
    END IF;
    FOR i IN 1..len LOOP
        out := out || substr(alphabet, 1 + (get_byte(gen_random_bytes(1), 0) % 62), 1);
    END LOOP;
    RETURN out;
END;
$$;

-- migration 120_purge_expired_tokens
CREATE OR REPLACE FUNCTION "purge_expired_tokens"() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer := 0;
    c integer;
BEGIN
    DELETE FROM "VerificationToken" WHERE "expires" < CURRENT_TIMESTAMP;
    GET DIAGNOSTICS c = ROW_COUNT; n := n + c;
    DELETE FROM "PasswordResetToken" WHERE "expiry" < CURRENT_TIMESTAMP;
    GET DIAGNOSTICS c = ROW_COUNT; n := n + c;
    DELETE FROM "AnonymousVerificationToken" WHERE "expiresAt" < CURRENT_TIMESTAMP;
    GET DIAGNOSTICS c = ROW_COUNT; n := n + c;
    DELETE FROM "Session" WHERE "expires" < CURRENT_TIMESTAMP;
    GET DIAGNOSTICS c = ROW_COUNT; n := n + c;
    RETURN n;
END;
$$;

-- migration 121_webhook_enqueue
CREATE OR REPLACE FUNCTION "enqueue_document_webhook"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW."status" IS DISTINCT FROM OLD."status" THEN
        INSERT INTO "BackgroundJob" ("id", "jobId", "name", "version", "payload", "updatedAt")
        VALUES (gen_random_uuid()::text, 'internal.execute-webhook', 'Execute webhook', '1.0.0',
                jsonb_build_object('documentId', NEW."id", 'status', NEW."status", 'op', TG_OP),
                CURRENT_TIMESTAMP);
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER "Document_enqueue_webhook" AFTER INSERT OR UPDATE OF "status" ON "Document"
    FOR EACH ROW EXECUTE FUNCTION "enqueue_document_webhook"();

-- migration 122_team_updated_at
ALTER TABLE "Team" ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
CREATE TRIGGER "Team_set_updated_at" BEFORE UPDATE ON "Team"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();

-- migration 123_view_document_overview
CREATE VIEW "DocumentOverview" AS
SELECT d."id", d."title", d."status", d."userId", d."teamId", d."created", d."completedAt",
       count(r."id") AS "recipientCount",
       count(r."id") FILTER (WHERE r."signingStatus" = 'SIGNED') AS "signedCount"
FROM "Document" d
LEFT JOIN "Recipient" r ON r."documentId" = d."id"
WHERE d."deletedAt" IS NULL
GROUP BY d."id";

-- migration 124_view_pending_recipients
CREATE VIEW "PendingRecipient" AS
SELECT r."id", r."documentId", r."email", r."name", r."role", r."signingOrder", d."title", d."userId"
FROM "Recipient" r
JOIN "Document" d ON d."id" = r."documentId"
WHERE d."status" = 'PENDING' AND r."signingStatus" = 'NOT_SIGNED' AND r."role" <> 'CC';

-- migration 125_view_team_members
CREATE VIEW "TeamMemberDirectory" AS
SELECT tm."teamId", t."name" AS "teamName", t."url" AS "teamUrl", tm."userId", u."name", u."email", tm."role",
       (t."ownerUserId" = tm."userId") AS "isOwner"
FROM "TeamMember" tm
JOIN "Team" t ON t."id" = tm."teamId"
JOIN "User" u ON u."id" = tm."userId";

-- migration 126_view_active_subscriptions
CREATE VIEW "ActiveSubscription" AS
SELECT s."id", s."status", s."planId", s."periodEnd", s."userId", s."teamId", s."organisationId"
FROM "Subscription" s
WHERE s."status" IN ('ACTIVE', 'PAST_DUE') AND (s."periodEnd" IS NULL OR s."periodEnd" > CURRENT_TIMESTAMP);

-- migration 127_view_webhook_failures
CREATE VIEW "WebhookFailure" AS
SELECT w."id" AS "webhookId", w."webhookUrl", w."userId", w."teamId",
       count(c."id") AS "failures", max(c."createdAt") AS "lastFailureAt"
FROM "Webhook" w
JOIN "WebhookCall" c ON c."webhookId" = w."id" AND c."status" = 'FAILED'
WHERE c."createdAt" > CURRENT_TIMESTAMP - INTERVAL '7 days'
GROUP BY w."id";

-- migration 128_view_organisation_directory
CREATE VIEW "OrganisationDirectory" AS
SELECT o."id" AS "organisationId", o."name" AS "organisationName", o."url", om."userId", u."email",
       array_agg(DISTINCT og."organisationRole") AS "roles"
FROM "Organisation" o
JOIN "OrganisationMember" om ON om."organisationId" = o."id"
JOIN "User" u ON u."id" = om."userId"
LEFT JOIN "OrganisationGroupMember" ogm ON ogm."organisationMemberId" = om."id"
LEFT JOIN "OrganisationGroup" og ON og."id" = ogm."groupId"
GROUP BY o."id", om."userId", u."email";

-- migration 129_view_invoice_summary
CREATE VIEW "InvoiceSummary" AS
SELECT i."organisationId", date_trunc('month', i."issuedAt") AS "month", i."currency",
       count(*) AS "invoices", sum(i."total") AS "billed",
       sum(i."total") FILTER (WHERE i."status" = 'PAID') AS "collected"
FROM "Invoice" i
WHERE i."status" <> 'VOID'
GROUP BY 1, 2, 3;

-- migration 130_materialized_document_stats
CREATE MATERIALIZED VIEW "DocumentStatsDaily" AS
SELECT date_trunc('day', d."created") AS "day", d."teamId", d."status", count(*) AS "documents"
FROM "Document" d
WHERE d."deletedAt" IS NULL
GROUP BY 1, 2, 3
WITH NO DATA;
CREATE UNIQUE INDEX "DocumentStatsDaily_day_teamId_status_key" ON "DocumentStatsDaily"("day", "teamId", "status");

-- migration 131_refresh_stats_function
CREATE OR REPLACE FUNCTION "refresh_document_stats"() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    REFRESH MATERIALIZED VIEW "DocumentStatsDaily";
END;
$$;

-- migration 132_soft_delete_user
CREATE OR REPLACE FUNCTION "soft_delete_user"(target_user integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "User" SET "disabled" = true, "email" = 'deleted-' || target_user || '@deleted.invalid',
                      "password" = NULL, "twoFactorSecret" = NULL, "twoFactorEnabled" = false
    WHERE "id" = target_user;
    UPDATE "Document" SET "deletedAt" = CURRENT_TIMESTAMP
    WHERE "userId" = target_user AND "status" = 'DRAFT' AND "deletedAt" IS NULL;
    DELETE FROM "Session" WHERE "userId" = target_user;
    DELETE FROM "ApiToken" WHERE "userId" = target_user;
END;
$$;

-- migration 133_recipient_token_default
ALTER TABLE "Recipient" ALTER COLUMN "token" SET DEFAULT "generate_token"(32);

-- migration 134_document_meta_distribution
CREATE TYPE "DocumentDistributionMethod" AS ENUM ('EMAIL', 'NONE');
ALTER TABLE "DocumentMeta" ADD COLUMN "distributionMethod" "DocumentDistributionMethod" NOT NULL DEFAULT 'EMAIL';
ALTER TABLE "TemplateMeta" ADD COLUMN "distributionMethod" "DocumentDistributionMethod" NOT NULL DEFAULT 'EMAIL';

-- migration 135_document_meta_email_settings
ALTER TABLE "DocumentMeta" ADD COLUMN "emailSettings" JSONB;
ALTER TABLE "TemplateMeta" ADD COLUMN "emailSettings" JSONB;

-- migration 136_document_meta_signature_types
ALTER TABLE "DocumentMeta" ADD COLUMN "uploadSignatureEnabled" BOOLEAN NOT NULL DEFAULT true,
                           ADD COLUMN "drawSignatureEnabled" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "TemplateMeta" ADD COLUMN "uploadSignatureEnabled" BOOLEAN NOT NULL DEFAULT true,
                           ADD COLUMN "drawSignatureEnabled" BOOLEAN NOT NULL DEFAULT true;

-- migration 137_document_meta_allow_dictate
ALTER TABLE "DocumentMeta" ADD COLUMN "allowDictateNextSigner" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "TemplateMeta" ADD COLUMN "allowDictateNextSigner" BOOLEAN NOT NULL DEFAULT false;

-- migration 138_team_global_settings_signatures
ALTER TABLE "TeamGlobalSettings" ADD COLUMN "typedSignatureEnabled" BOOLEAN NOT NULL DEFAULT true,
                                 ADD COLUMN "uploadSignatureEnabled" BOOLEAN NOT NULL DEFAULT true,
                                 ADD COLUMN "drawSignatureEnabled" BOOLEAN NOT NULL DEFAULT true;

-- migration 139_webhook_events_more
ALTER TYPE "WebhookTriggerEvents" ADD VALUE 'DOCUMENT_REJECTED';
ALTER TYPE "WebhookTriggerEvents" ADD VALUE 'DOCUMENT_CANCELLED';

-- migration 140_webhook_call_index
CREATE INDEX "WebhookCall_status_idx" ON "WebhookCall"("status");

-- migration 141_audit_log_created_index
CREATE INDEX "DocumentAuditLog_documentId_createdAt_idx" ON "DocumentAuditLog"("documentId", "createdAt");

-- migration 142_user_last_signed_in
ALTER TABLE "User" ADD COLUMN "lastSignedIn" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- migration 143_recipient_expires
ALTER TABLE "Recipient" RENAME COLUMN "expired" TO "expiresAt";

-- migration 144_field_inserted_default
ALTER TABLE "Field" ALTER COLUMN "inserted" SET DEFAULT false;

-- migration 145_team_email_index
CREATE INDEX "TeamMemberInvite_email_idx" ON "TeamMemberInvite"("email");
CREATE INDEX "OrganisationMemberInvite_email_idx" ON "OrganisationMemberInvite"("email");

-- migration 146_background_job_cleanup
CREATE OR REPLACE FUNCTION "cleanup_background_jobs"(keep interval DEFAULT INTERVAL '30 days') RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    DELETE FROM "BackgroundJob"
    WHERE "status" IN ('COMPLETED', 'FAILED') AND "updatedAt" < CURRENT_TIMESTAMP - keep;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;

-- migration 147_recipient_updated_at
ALTER TABLE "Recipient" ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
CREATE TRIGGER "Recipient_set_updated_at" BEFORE UPDATE ON "Recipient"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();

-- migration 148_rls_folders
ALTER TABLE "Folder" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Folder_owner_all" ON "Folder" FOR ALL TO app_user
    USING ("userId" = "app_current_user_id"());

-- ---------------------------------------------------------------------------------------
-- The last 12 migrations: applied to dev only (prod is 12 migrations behind).
-- ---------------------------------------------------------------------------------------

-- migration 149_pg_trgm
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- migration 150_document_title_search
CREATE INDEX "Document_title_trgm_idx" ON "Document" USING GIN ("title" gin_trgm_ops);
CREATE INDEX "Contact_name_trgm_idx" ON "Contact" USING GIN ("name" gin_trgm_ops);

-- migration 151_document_cancelled
ALTER TYPE "DocumentStatus" ADD VALUE 'CANCELLED';
ALTER TYPE "SendStatus" ADD VALUE 'BOUNCED' BEFORE 'SENT';

-- migration 152_envelopes
CREATE TYPE "EnvelopeType" AS ENUM ('DOCUMENT', 'TEMPLATE');
CREATE TABLE "Envelope" (
    "id" TEXT NOT NULL,
    "secondaryId" TEXT NOT NULL,
    "type" "EnvelopeType" NOT NULL,
    "title" TEXT NOT NULL,
    "status" "DocumentStatus" NOT NULL DEFAULT 'DRAFT',
    "source" "DocumentSource" NOT NULL,
    "qrToken" TEXT,
    "userId" INTEGER NOT NULL,
    "teamId" INTEGER NOT NULL,
    "folderId" TEXT,
    "visibility" "DocumentVisibility" NOT NULL DEFAULT 'EVERYONE',
    "internalVersion" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    CONSTRAINT "Envelope_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Envelope_secondaryId_key" ON "Envelope"("secondaryId");
CREATE INDEX "Envelope_type_idx" ON "Envelope"("type");
CREATE INDEX "Envelope_userId_idx" ON "Envelope"("userId");
CREATE INDEX "Envelope_teamId_idx" ON "Envelope"("teamId");
CREATE INDEX "Envelope_folderId_idx" ON "Envelope"("folderId");
ALTER TABLE "Envelope" ADD CONSTRAINT "Envelope_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Envelope" ADD CONSTRAINT "Envelope_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Envelope" ADD CONSTRAINT "Envelope_folderId_fkey" FOREIGN KEY ("folderId") REFERENCES "Folder"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE TRIGGER "Envelope_set_updated_at" BEFORE UPDATE ON "Envelope"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();

-- migration 153_envelope_items
CREATE TABLE "EnvelopeItem" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "order" INTEGER NOT NULL,
    "documentDataId" TEXT NOT NULL,
    "envelopeId" TEXT NOT NULL,
    CONSTRAINT "EnvelopeItem_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "EnvelopeItem_order_check" CHECK ("order" >= 0)
);
CREATE UNIQUE INDEX "EnvelopeItem_documentDataId_key" ON "EnvelopeItem"("documentDataId");
CREATE INDEX "EnvelopeItem_envelopeId_idx" ON "EnvelopeItem"("envelopeId");
ALTER TABLE "EnvelopeItem" ADD CONSTRAINT "EnvelopeItem_documentDataId_fkey" FOREIGN KEY ("documentDataId") REFERENCES "DocumentData"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "EnvelopeItem" ADD CONSTRAINT "EnvelopeItem_envelopeId_fkey" FOREIGN KEY ("envelopeId") REFERENCES "Envelope"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 154_envelope_links
ALTER TABLE "Document" ADD COLUMN "envelopeId" TEXT,
                       ADD COLUMN "qrToken" TEXT;
ALTER TABLE "Recipient" ADD COLUMN "envelopeId" TEXT;
ALTER TABLE "Field" ADD COLUMN "envelopeId" TEXT,
                    ADD COLUMN "envelopeItemId" TEXT;
CREATE INDEX "Document_envelopeId_idx" ON "Document"("envelopeId");
CREATE INDEX "Recipient_envelopeId_idx" ON "Recipient"("envelopeId");
CREATE INDEX "Field_envelopeId_idx" ON "Field"("envelopeId");
ALTER TABLE "Document" ADD CONSTRAINT "Document_envelopeId_fkey" FOREIGN KEY ("envelopeId") REFERENCES "Envelope"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Recipient" ADD CONSTRAINT "Recipient_envelopeId_fkey" FOREIGN KEY ("envelopeId") REFERENCES "Envelope"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Field" ADD CONSTRAINT "Field_envelopeItemId_fkey" FOREIGN KEY ("envelopeItemId") REFERENCES "EnvelopeItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 155_document_folder_set_null
ALTER TABLE "Document" DROP CONSTRAINT "Document_folderId_fkey";
ALTER TABLE "Document" ADD CONSTRAINT "Document_folderId_fkey" FOREIGN KEY ("folderId") REFERENCES "Folder"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- migration 156_email_domains
CREATE TYPE "EmailDomainStatus" AS ENUM ('PENDING', 'ACTIVE');
CREATE TABLE "EmailDomain" (
    "id" TEXT NOT NULL,
    "status" "EmailDomainStatus" NOT NULL DEFAULT 'PENDING',
    "organisationId" TEXT NOT NULL,
    "domain" VARCHAR(253) NOT NULL,
    "selector" VARCHAR(63) NOT NULL,
    "publicKey" TEXT NOT NULL,
    "privateKey" TEXT NOT NULL,
    "lastVerifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EmailDomain_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "EmailDomain_domain_key" ON "EmailDomain"("domain");
CREATE INDEX "EmailDomain_organisationId_idx" ON "EmailDomain"("organisationId");
ALTER TABLE "EmailDomain" ADD CONSTRAINT "EmailDomain_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- migration 157_tighten_columns
ALTER TABLE "EmailLog" ALTER COLUMN "template" SET DATA TYPE VARCHAR(128);
ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_due_check" CHECK ("dueAt" IS NULL OR "dueAt" >= "issuedAt");

-- migration 158_rls_envelopes
ALTER TABLE "Envelope" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Envelope_owner_all" ON "Envelope" FOR ALL TO app_user
    USING ("userId" = "app_current_user_id"());
CREATE POLICY "Document_team_read" ON "Document" FOR SELECT TO app_user
    USING ("teamId" IS NOT NULL AND "is_team_member"("teamId", "app_current_user_id"()));

-- migration 159_audit_trigger_envelope
CREATE OR REPLACE FUNCTION "log_document_status_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW."status" IS DISTINCT FROM OLD."status" THEN
        INSERT INTO "DocumentAuditLog" ("id", "documentId", "type", "data")
        VALUES (gen_random_uuid()::text, NEW."id", 'DOCUMENT_STATUS_CHANGED',
                jsonb_build_object('from', OLD."status", 'to', NEW."status",
                                   'envelopeId', NEW."envelopeId"));
    END IF;
    RETURN NEW;
END;
$$;
CREATE OR REPLACE FUNCTION "touch_envelope"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "Envelope" SET "updatedAt" = CURRENT_TIMESTAMP WHERE "id" = NEW."envelopeId";
    RETURN NULL;
END;
$$;
CREATE TRIGGER "Document_touch_envelope" AFTER UPDATE ON "Document"
    FOR EACH ROW WHEN (NEW."envelopeId" IS NOT NULL)
    EXECUTE FUNCTION "touch_envelope"();
ALTER PUBLICATION "app_realtime" ADD TABLE "DocumentAuditLog";

-- migration 160_document_overview_envelope
CREATE OR REPLACE VIEW "DocumentOverview" AS
SELECT d."id", d."title", d."status", d."userId", d."teamId", d."created", d."completedAt",
       count(r."id") AS "recipientCount",
       count(r."id") FILTER (WHERE r."signingStatus" = 'SIGNED') AS "signedCount",
       d."envelopeId"
FROM "Document" d
LEFT JOIN "Recipient" r ON r."documentId" = d."id"
WHERE d."deletedAt" IS NULL
GROUP BY d."id";
